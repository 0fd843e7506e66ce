// What `run` and `demo` share: resolve the configuration once, build the registry, models and
// trace sink, then execute runs with live progress.
import type { RunRequest } from '@arp-ts/sdk';
import type { FlowOutcome, ModelRoles, ToolRegistryPort } from '@arp-ts/runtime-core';
import type { ParsedFlags } from './args.js';
import {
  resolveLimits,
  resolveModelMode,
  resolveRedactPrompts,
  resolveToolPolicy,
  resolveToolRegistry,
  resolveTraceDir,
  type ModelMode,
  type RunLimitsConfig,
  type ToolPolicyConfig,
  type ToolRegistryConfig,
} from './config.js';
import { createModels, createToolRegistryPort, newRunId } from './deps.js';
import type { CliIo, Env } from './io.js';
import type { RunEventListener } from './run-events.js';

export interface RunSettings {
  registry: ToolRegistryConfig;
  mode: ModelMode;
  traceDir: string;
  redactPrompts: boolean;
  limits: RunLimitsConfig;
  policy: ToolPolicyConfig;
}

/** Reads every run-related flag and variable; throws a usage error for any bad value. */
export function resolveRunSettings(flags: ParsedFlags, env: Env, io: CliIo): RunSettings {
  return {
    registry: resolveToolRegistry(flags, env),
    mode: resolveModelMode(flags, env),
    traceDir: resolveTraceDir(flags, env, io.cwd),
    redactPrompts: resolveRedactPrompts(flags, env),
    limits: resolveLimits(flags),
    policy: resolveToolPolicy(flags),
  };
}

export interface RunSession {
  settings: RunSettings;
  toolRegistry: ToolRegistryPort;
  models: ModelRoles;
  /** Runs one goal; resolves with the outcome and the trace file's path once it is on disk. */
  run(
    goal: string,
    listener: RunEventListener,
    signal?: AbortSignal,
  ): Promise<{ outcome: FlowOutcome; tracePath: string }>;
  close(): Promise<void>;
}

/** The RunRequest of one goal, always with a run id (the trace file is named after it). */
function buildRequest(goal: string, settings: RunSettings): RunRequest & { run_id: string } {
  const request: RunRequest & { run_id: string } = { run_id: newRunId(), input: { goal } };
  if (Object.keys(settings.limits).length > 0) request.limits = { ...settings.limits };
  const { allow, deny } = settings.policy;
  if (allow.length > 0 || deny.length > 0) {
    request.tool_policy = {};
    if (allow.length > 0) request.tool_policy.allow_tool_ids = allow;
    if (deny.length > 0) request.tool_policy.deny_tool_ids = deny;
  }
  return request;
}

export async function openRunSession(settings: RunSettings, env: Env): Promise<RunSession> {
  const models = await createModels(settings.mode, env);
  const toolRegistry = await createToolRegistryPort(settings.registry);
  // Loaded when first needed, so `--help` and usage errors stay instant.
  const { runFlow } = await import('@arp-ts/runtime-core');
  const { createJsonlTraceSink } = await import('@arp-ts/runtime-core/trace-file');
  const trace = createJsonlTraceSink({ traceDir: settings.traceDir });
  return {
    settings,
    toolRegistry,
    models,
    async run(goal, listener, signal) {
      const request = buildRequest(goal, settings);
      const runId = request.run_id;
      const outcome = await runFlow(
        request,
        { toolRegistry, models, trace, events: listener, redactPrompts: settings.redactPrompts },
        signal ? { signal } : {},
      );
      await trace.flush?.(runId);
      return { outcome, tracePath: trace.tracePath(runId) };
    },
    close: () => trace.close(),
  };
}
