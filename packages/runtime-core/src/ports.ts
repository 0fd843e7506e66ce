// The engine's ports: everything runFlow talks to is one of these small interfaces, so the engine
// itself needs no HTTP server, no file system and no model vendor SDK. Adapters implement them.
import type {
  RunEvent,
  ToolDefinition,
  ToolInvocationRequest,
  ToolInvocationResult,
  TraceEvent,
} from '@arp-ts/sdk';

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * A Tool Registry as the engine sees it. Implemented by the in-process registry of
 * @arp-ts/tool-registry-mock (structurally) and by the HTTP adapter over @arp-ts/sdk.
 * A tool's own failure is a resolved result with `ok: false`; a rejected promise means the
 * registry itself could not be reached or answered badly.
 */
export interface ToolRegistryPort {
  listTools(options?: CallOptions): Promise<ToolDefinition[]>;
  /** Looks a tool up by tool_id or by name; undefined when there is no such tool. */
  getTool(toolIdOrName: string, options?: CallOptions): Promise<ToolDefinition | undefined>;
  invokeTool(request: ToolInvocationRequest, options?: CallOptions): Promise<ToolInvocationResult>;
}

/** Receives the TraceEvents of runs (JSONL file, memory, no-op). Must not throw. */
export interface TraceSink {
  emit(event: TraceEvent): void;
  /** Resolves once everything emitted for the run is durable. */
  flush?(runId: string): Promise<void>;
  /** No more events will come for the run: release what the sink holds for it (files, buffers). */
  endRun?(runId: string): void;
  /** Where the run's trace can be read, when the sink knows (e.g. a file:// URL). */
  traceUri?(runId: string): string | undefined;
}

/** Receives the RunEvents of runs, for streaming. Must not throw. */
export interface RunEventSink {
  emit(event: RunEvent): void;
}

/** Wall-clock time; injected so tests and replays are deterministic. */
export interface Clock {
  now(): number;
}

/** Produces identifiers for runs, steps and tool invocations. */
export interface IdSource {
  runId(): string;
  invocationId(): string;
}
