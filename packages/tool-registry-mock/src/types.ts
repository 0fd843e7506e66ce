import type { ToolDefinition } from '@arp-ts/sdk';

/** Wall-clock time, injectable so that tools such as time_now are deterministic in tests. */
export interface Clock {
  now(): number;
}

export interface ToolHandlerContext {
  /** Aborted when the caller gives up or the tool's deadline passes: stop work and return. */
  signal: AbortSignal;
  /** The caller's invocation_id, for logs and idempotency. */
  invocationId: string;
  /** The registry's clock; use it instead of Date.now() so tests can pin the time. */
  clock: Clock;
}

/** The JSON object a tool returns; it must match the tool's output_schema when one is declared. */
export type ToolOutput = Record<string, unknown>;

export interface ToolImplementation {
  definition: ToolDefinition;
  /**
   * Runs the tool with arguments that already passed `definition.input_schema`. Throw a
   * ToolExecutionError for an expected failure (bad input the schema cannot express, a missing
   * record); anything else thrown is reported as an unexpected `tool.handler_error`.
   */
  handler(args: Record<string, unknown>, ctx: ToolHandlerContext): Promise<ToolOutput> | ToolOutput;
  /** Deadline of one invocation; the registry's default applies when absent. */
  timeoutMs?: number;
}

/** A named group of tools, enabled as a unit (`--domains core,./my-domain.js`). */
export interface ToolDomain {
  name: string;
  tools: ToolImplementation[];
}
