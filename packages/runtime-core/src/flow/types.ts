// Public types of runFlow: its dependencies, options and outcome.
import type { RunResult, RunStatus } from '@arp-ts/sdk';
import type { ModelRoles, StepRecord } from '../models.js';
import type { Clock, IdSource, RunEventSink, ToolRegistryPort, TraceSink } from '../ports.js';

/** Bounded retries of tool registry look-ups (getTool, listTools) before `tool_registry.unavailable`. */
export interface RegistryRetryOptions {
  /** Total attempts, default 3. */
  attempts?: number;
  /** First backoff in ms, doubled per attempt; default 50. */
  baseDelayMs?: number;
  /** Backoff cap in ms; default 500. */
  maxDelayMs?: number;
  /** Injectable wait, so tests need not sleep. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface FlowDeps {
  toolRegistry: ToolRegistryPort;
  /** planner, toolArgs, chat; createStubModels() gives the stub mode. */
  models: ModelRoles;
  /** Default: no trace. */
  trace?: TraceSink;
  /** Default: no events. */
  events?: RunEventSink;
  /** Default: Date.now. */
  clock?: Clock;
  /** Default: random ids (`run_<uuid>`, `inv_<uuid>`). */
  ids?: IdSource;
  /** Replace prompt text in `llm_call` trace events by `{ sha256, length }`. */
  redactPrompts?: boolean;
  registryRetry?: RegistryRetryOptions;
}

export interface RunFlowOptions {
  /** Aborting it cancels the run: state `canceled`, error `run.canceled`. */
  signal?: AbortSignal;
}

export interface FlowOutcome {
  status: RunStatus;
  result: RunResult;
}

/** RunResult.usage as runFlow fills it. */
export interface RunUsage {
  [key: string]: unknown;
  tool_calls: number;
  model_calls: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  duration_ms: number;
}

/** RunResult.output as runFlow fills it (final_text only on success). */
export interface RunOutput {
  [key: string]: unknown;
  final_text?: string;
  steps: StepRecord[];
}

/** `limits.max_steps` when the request sets none. */
export const DEFAULT_MAX_STEPS = 16;
/** A planner answer with more steps than this is an invalid plan. */
export const MAX_PLANNED_STEPS = 64;
