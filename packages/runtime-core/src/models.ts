// The three model roles of a flow (Planner, Tool-args generator, Chat). The engine talks to these
// interfaces only; the stub mode and the OpenAI adapter implement them.
import type { ArpError, ToolDefinition, ValidationIssue } from '@arp-ts/sdk';

/** Token counts of one model call. */
export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

/** What the engine records about every executed step; RunResult.output.steps holds these. */
export interface StepRecord {
  index: number;
  type: 'plan' | 'tool' | 'chat';
  /** Tool name as the planner named it (tool steps). */
  tool?: string;
  tool_id?: string;
  args?: Record<string, unknown>;
  ok?: boolean;
  result?: Record<string, unknown>;
  error?: ArpError;
}

/** A step as a planner proposes it, before it runs. */
export type PlannedStep = PlannedToolStep | PlannedPlanStep;

export interface PlannedToolStep {
  type: 'tool';
  /** Tool name or tool_id. */
  tool: string;
  /** What the step should achieve, in words; the tool-args role turns it into arguments. */
  intent?: string;
  /** Arguments the planner already knows; the tool-args role may take them as they are. */
  args?: Record<string, unknown>;
}

export interface PlannedPlanStep {
  type: 'plan';
  /** Why the planner wants to plan again at this point. */
  note?: string;
}

/** A tool as the planner is offered it (only tools the run's policy allows). */
export interface ToolSummary {
  tool_id: string;
  name: string;
  description?: string;
  input_schema: Record<string, unknown>;
}

/** Handed to every model call. */
export interface ModelCallContext {
  signal?: AbortSignal;
  /**
   * Called with the exact prompt right before a request is sent (the engine turns it into an
   * `llm_call` trace event). Undefined when nobody listens, so building the text can be skipped.
   */
  onPrompt?: (call: PromptInfo) => void;
}

export interface PromptInfo {
  model: string;
  prompt: string;
}

export interface PlannerInput {
  goal: string;
  context?: Record<string, unknown>;
  data?: Record<string, unknown>;
  /** 0 for the first plan, then 1, 2, ... for each `plan` step. */
  round: number;
  /** Steps executed so far (empty in round 0). */
  steps: readonly StepRecord[];
  /** The tools the planner may use; fetched lazily (and once per run) because the stub needs none. */
  tools(): Promise<ToolSummary[]>;
}

export interface PlanAnswer {
  /** Validated by the engine: anything else than an array of PlannedStep is `planner.invalid_plan`. */
  steps: unknown;
  usage?: TokenUsage;
}

export interface PlannerModel {
  readonly model: string;
  plan(input: PlannerInput, ctx: ModelCallContext): Promise<PlanAnswer>;
}

export interface ToolArgsInput {
  goal: string;
  context?: Record<string, unknown>;
  data?: Record<string, unknown>;
  tool: ToolDefinition;
  intent?: string;
  suggestedArgs?: Record<string, unknown>;
  steps: readonly StepRecord[];
  /** Set on a repair attempt: the previous answer and why it did not validate. */
  repair?: { previousArgs: unknown; issues: ValidationIssue[] };
}

export interface ToolArgsAnswer {
  /** Validated by the engine against the tool's input_schema. */
  args: unknown;
  usage?: TokenUsage;
}

export interface ToolArgsModel {
  readonly model: string;
  /** How many repair attempts the engine grants when an answer fails validation (0 for the stub). */
  readonly repairAttempts: number;
  generate(input: ToolArgsInput, ctx: ModelCallContext): Promise<ToolArgsAnswer>;
}

export interface ChatInput {
  goal: string;
  context?: Record<string, unknown>;
  data?: Record<string, unknown>;
  /** Every plan and tool step, in execution order. */
  steps: readonly StepRecord[];
}

export interface ChatCallContext extends ModelCallContext {
  /** Receives streamed text pieces; undefined when nobody listens. */
  onToken?: (text: string) => void;
}

export interface ChatAnswer {
  text: string;
  usage?: TokenUsage;
}

export interface ChatModel {
  readonly model: string;
  respond(input: ChatInput, ctx: ChatCallContext): Promise<ChatAnswer>;
}

export interface ModelRoles {
  /** A short name for the mode, recorded in the trace (`stub`, `openai`). */
  readonly mode: string;
  planner: PlannerModel;
  toolArgs: ToolArgsModel;
  chat: ChatModel;
}

/**
 * A model call that failed in a way the engine should report with a specific code, e.g.
 * `model.unavailable` (retryable) after the vendor's retries, or `planner.invalid_plan` when the
 * answer was not parseable.
 */
export class ModelError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; status?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.status = options.status;
  }
}
