// The hand-written JSON lines of the run logs: the same text as JSON.stringify for the events the
// engine emits, and JSON.stringify's answer whenever the envelope is anything else.
import { createStubModels, runFlow, type RunEventSink, type TraceSink } from '@arp-ts/runtime-core';
import type { RunEvent, TraceEvent } from '@arp-ts/sdk';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventLines } from '../src/store/event-lines.js';

const RUN = 'run_0123456789abcdef';
const stringified = (event: unknown): string => JSON.stringify(event) + '\n';

async function engineEvents(): Promise<{ trace: TraceEvent[]; events: RunEvent[] }> {
  const trace: TraceEvent[] = [];
  const events: RunEvent[] = [];
  const traceSink: TraceSink = { emit: (e) => void trace.push(e), endRun: () => undefined };
  const eventSink: RunEventSink = { emit: (e) => void events.push(e) };
  await runFlow(
    { run_id: RUN, input: { goal: 'What is (19*23)? Say "done" \\ then stop.\n' } },
    {
      toolRegistry: createToolRegistry(),
      models: createStubModels(),
      trace: traceSink,
      events: eventSink,
    },
  );
  return { trace, events };
}

describe('EventLines', () => {
  it("writes the engine's events exactly as JSON.stringify does", async () => {
    const { trace, events } = await engineEvents();
    expect(trace.length).toBeGreaterThan(10);
    expect(events.length).toBeGreaterThan(5);
    const lines = new EventLines(RUN);
    for (const event of trace) expect(lines.traceEvent(event)).toBe(stringified(event));
    for (const event of events) expect(lines.runEvent(event)).toBe(stringified(event));
  });

  it('leaves out data when an event has none', () => {
    const lines = new EventLines(RUN);
    const event: RunEvent = {
      run_id: RUN,
      seq: 3,
      type: 'final',
      time: '2026-11-21T10:00:00.000Z',
    };
    expect(lines.runEvent(event)).toBe(stringified(event));
    expect(JSON.parse(lines.runEvent(event))).toEqual(event);
  });

  it('falls back to JSON.stringify for an envelope it cannot write by hand', () => {
    const lines = new EventLines(RUN);
    const time = '2026-11-21T10:00:00.000Z';
    const unusual: TraceEvent[] = [
      { run_id: 'run_other', seq: 0, time, level: 'info', type: 'x' },
      { run_id: RUN, seq: 0, time, level: 'info', type: 'say "hi"' },
      { run_id: RUN, seq: 0, time, level: 'info', type: 'back\\slash' },
      { run_id: RUN, seq: 0, time, level: 'info', type: 'line\nbreak' },
      { run_id: RUN, seq: 0, time: 'now"', level: 'info', type: 'x' },
      { run_id: RUN, seq: 1.5, time, level: 'info', type: 'x' },
      { run_id: RUN, seq: Number.NaN, time, level: 'info', type: 'x' },
      { run_id: RUN, seq: 0, time, level: 'info', type: 'x', extensions: { 'x-a': 1 } },
    ];
    for (const event of unusual) {
      const line = lines.traceEvent(event);
      expect(line).toBe(stringified(event));
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
    }
  });

  it('round-trips any data and any envelope strings through JSON.parse', () => {
    const lines = new EventLines(RUN);
    const json = fc.jsonValue({ maxDepth: 3 });
    const envelope = fc.record({
      seq: fc.nat(),
      time: fc.string({ maxLength: 30 }),
      level: fc.constantFrom('debug', 'info', 'warn', 'error'),
      type: fc.string({ maxLength: 20 }),
      data: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 5 }), {
        nil: undefined,
      }),
    });
    fc.assert(
      fc.property(envelope, (fields) => {
        const trace: TraceEvent = { run_id: RUN, ...fields };
        if (fields.data === undefined) delete trace.data;
        const parsedTrace: unknown = JSON.parse(lines.traceEvent(trace));
        expect(parsedTrace).toEqual(JSON.parse(JSON.stringify(trace)));
        const { level: _level, ...rest } = trace;
        const event = { ...rest, type: 'step' } as RunEvent;
        expect(JSON.parse(lines.runEvent(event))).toEqual(JSON.parse(JSON.stringify(event)));
      }),
      { numRuns: 500 },
    );
  });
});
