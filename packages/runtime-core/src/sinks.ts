// In-memory sinks: for tests, for callers that keep a run's events themselves, and the no-op
// sinks (runFlow treats an absent sink as no-op and then builds no events at all).
import type { RunEvent, TraceEvent } from '@arp-ts/sdk';
import type { RunEventSink, TraceSink } from './ports.js';

export interface MemoryTraceSink extends TraceSink {
  readonly events: TraceEvent[];
  /** The events of one run, in order. */
  forRun(runId: string): TraceEvent[];
  /** Run ids whose run has ended (endRun was called). */
  readonly endedRuns: ReadonlySet<string>;
}

export function createMemoryTraceSink(): MemoryTraceSink {
  const events: TraceEvent[] = [];
  const endedRuns = new Set<string>();
  return {
    events,
    endedRuns,
    emit: (event) => void events.push(event),
    flush: () => Promise.resolve(),
    endRun: (runId) => void endedRuns.add(runId),
    forRun: (runId) => events.filter((event) => event.run_id === runId),
  };
}

export interface MemoryRunEventSink extends RunEventSink {
  readonly events: RunEvent[];
  forRun(runId: string): RunEvent[];
}

export function createMemoryRunEventSink(): MemoryRunEventSink {
  const events: RunEvent[] = [];
  return {
    events,
    emit: (event) => void events.push(event),
    forRun: (runId) => events.filter((event) => event.run_id === runId),
  };
}

/** Sends every event to each sink in turn. */
export function fanOutRunEvents(...sinks: RunEventSink[]): RunEventSink {
  return { emit: (event) => sinks.forEach((sink) => sink.emit(event)) };
}
