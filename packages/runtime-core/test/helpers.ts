// Shared test helpers: deterministic clock and ids, collecting sinks, and the checks every run's
// events must pass (schema-valid, gap-free seq, exactly one terminal RunEvent at the end).
import {
  isTerminalRunEventType,
  validateRunEvent,
  validateRunResult,
  validateRunStatus,
  validateTraceEvent,
  type RunEvent,
  type TraceEvent,
} from '@arp-ts/sdk';
import { expect } from 'vitest';
import {
  createMemoryRunEventSink,
  createMemoryTraceSink,
  createStubModels,
  runFlow,
  type FlowDeps,
  type FlowOutcome,
  type MemoryRunEventSink,
  type MemoryTraceSink,
  type ToolRegistryPort,
} from '../src/index.js';
import type { RunRequest } from '@arp-ts/sdk';

/** 2026-01-02T03:04:05.000Z */
export const FIXED_NOW = Date.UTC(2026, 0, 2, 3, 4, 5);

export function fixedClock(start = FIXED_NOW): { now(): number; advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export function counterIds(): FlowDeps['ids'] {
  let runs = 0;
  let invocations = 0;
  return { runId: () => `run_${++runs}`, invocationId: () => `inv_${++invocations}` };
}

export interface Harness {
  events: MemoryRunEventSink;
  trace: MemoryTraceSink;
  deps: FlowDeps;
  run(request: RunRequest, options?: { signal?: AbortSignal }): Promise<FlowOutcome>;
}

export function harness(registry: ToolRegistryPort, overrides: Partial<FlowDeps> = {}): Harness {
  const events = createMemoryRunEventSink();
  const trace = createMemoryTraceSink();
  const deps: FlowDeps = {
    toolRegistry: registry,
    models: createStubModels(),
    events,
    trace,
    clock: fixedClock(),
    ids: counterIds(),
    registryRetry: { sleep: () => Promise.resolve() },
    ...overrides,
  };
  return {
    events,
    trace,
    deps,
    run: async (request, options) => {
      const outcome = await runFlow(request, deps, options);
      checkOutcome(
        outcome,
        events.forRun(outcome.status.run_id),
        trace.forRun(outcome.status.run_id),
      );
      return outcome;
    },
  };
}

export function checkRunEvents(events: readonly RunEvent[]): void {
  expect(events.length).toBeGreaterThan(0);
  events.forEach((event, i) => {
    const checked = validateRunEvent(event);
    expect(checked.ok ? [] : checked.errors, `RunEvent #${i} (${event.type})`).toEqual([]);
    expect(event.seq).toBe(i);
  });
  const terminal = events.filter((event) => isTerminalRunEventType(event.type));
  expect(terminal).toHaveLength(1);
  expect(events.at(-1)).toBe(terminal[0]);
}

export function checkTraceEvents(events: readonly TraceEvent[]): void {
  expect(events.length).toBeGreaterThan(0);
  events.forEach((event, i) => {
    const checked = validateTraceEvent(event);
    expect(checked.ok ? [] : checked.errors, `TraceEvent #${i} (${event.type})`).toEqual([]);
    expect(event.seq).toBe(i);
  });
  expect(events[0]?.type).toBe('flow_started');
  expect(['flow_completed', 'flow_failed']).toContain(events.at(-1)?.type);
}

export function checkOutcome(
  outcome: FlowOutcome,
  events: readonly RunEvent[],
  trace: readonly TraceEvent[],
): void {
  const status = validateRunStatus(outcome.status);
  expect(status.ok ? [] : status.errors).toEqual([]);
  const result = validateRunResult(outcome.result);
  expect(result.ok ? [] : result.errors).toEqual([]);
  checkRunEvents(events);
  checkTraceEvents(trace);
  const last = events.at(-1);
  if (outcome.result.ok) {
    expect(last?.type).toBe('final');
    expect(last?.data).toEqual({ final_text: outcome.result.output?.final_text });
  } else {
    expect(last?.type).toBe('error');
    expect(last?.data).toEqual({ error: outcome.result.error });
  }
}

/** The summary lines of output.steps, for compact assertions. */
export function stepsOf(outcome: FlowOutcome): Array<Record<string, unknown>> {
  const steps = outcome.result.output?.steps;
  return Array.isArray(steps) ? (steps as Array<Record<string, unknown>>) : [];
}

export function finalText(outcome: FlowOutcome): unknown {
  return outcome.result.output?.final_text;
}
