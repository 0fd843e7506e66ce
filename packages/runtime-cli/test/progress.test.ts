import type { RunEvent } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';
import { renderRunEvents, summarizeResult } from '../src/run-events.js';
import { createStyle } from '../src/style.js';

function capture(isTTY: boolean) {
  let text = '';
  return {
    stream: { isTTY, write: (chunk: string) => (text += chunk) },
    text: () => text,
  };
}

let seq = 0;
function event(type: RunEvent['type'], data: Record<string, unknown>): RunEvent {
  return { run_id: 'run_1', seq: seq++, time: new Date(0).toISOString(), type, data };
}

const calcRun: RunEvent[] = [
  event('step', { index: 0, type: 'plan', phase: 'started' }),
  event('step', { index: 0, type: 'plan', phase: 'completed', ok: true }),
  event('step', { index: 1, type: 'tool', phase: 'started', tool: 'calc' }),
  event('tool_call', { index: 1, tool: 'calc', args: { expression: '1/0' } }),
  event('tool_result', {
    index: 1,
    tool: 'calc',
    ok: false,
    duration_ms: 2,
    error: { code: 'tool.execution_error', message: 'division by zero' },
  }),
  event('step', { index: 1, type: 'tool', phase: 'completed', tool: 'calc', ok: false }),
  event('step', { index: 2, type: 'tool', phase: 'started', tool: 'nope' }),
  event('step', {
    index: 2,
    type: 'tool',
    phase: 'completed',
    tool: 'nope',
    ok: false,
    error: { code: 'tool.not_found', message: 'there is no tool nope' },
  }),
  event('step', { index: 3, type: 'chat', phase: 'started' }),
  event('step', { index: 3, type: 'chat', phase: 'completed', ok: true }),
  event('final', { final_text: 'done' }),
];

describe('progress from RunEvents', () => {
  it('prints a plain start and end line per step when not on a terminal', () => {
    const out = capture(false);
    let now = 0;
    const progress = createProgress({
      stream: out.stream,
      style: createStyle(false),
      interactive: false,
      now: () => (now += 1),
    });
    const listener = renderRunEvents(progress);
    for (const e of calcRun) listener.emit(e);
    progress.stop();
    expect(out.text().split('\n')).toEqual([
      '… plan',
      '✔ plan (1 ms)',
      '… calc {"expression":"1/0"}',
      '✖ calc → tool.execution_error: division by zero (2 ms)',
      '… nope',
      '✖ nope → tool.not_found: there is no tool nope (1 ms)',
      '… chat',
      '✔ chat (1 ms)',
      '',
    ]);
    expect(out.text()).not.toContain('\u001b');
  });

  it('closes the step a run stopped in with the error code', () => {
    const out = capture(false);
    const progress = createProgress({
      stream: out.stream,
      style: createStyle(false),
      interactive: false,
      now: () => 0,
    });
    const listener = renderRunEvents(progress);
    listener.emit(event('step', { index: 0, type: 'tool', phase: 'started', tool: 'calc' }));
    listener.emit(
      event('error', { error: { code: 'tool_registry.unavailable', message: 'down' } }),
    );
    expect(out.text()).toBe('… calc\n✖ calc → tool_registry.unavailable (0 ms)\n');
  });

  it('draws a spinner on a terminal and replaces it with the outcome', () => {
    const out = capture(true);
    const progress = createProgress({
      stream: out.stream,
      style: createStyle(false),
      interactive: true,
    });
    progress.stepStarted({ key: '1', label: 'calc', detail: '{"expression":"2+3"}' });
    progress.stepEnded({ key: '1', ok: true, summary: '5', durationMs: 3 });
    progress.stop();
    const text = out.text();
    expect(text).toMatch(/⠋ calc \{"expression":"2\+3"\}/);
    expect(text).toContain('\r\u001b[2K✔ calc {"expression":"2+3"} → 5 (3 ms)\n');
  });
});

describe('summarizeResult', () => {
  it('drops what echoes the arguments and shows a single value bare', () => {
    expect(summarizeResult({ expression: '19*23', value: 437 }, { expression: '19*23' })).toBe(
      '437',
    );
    expect(summarizeResult({ text: 'hi' }, { text: 'hi' })).toBe('"hi"');
    expect(summarizeResult({ tz: 'UTC', iso: 'x', epoch_ms: 1 }, { tz: 'UTC' })).toBe(
      '{"iso":"x","epoch_ms":1}',
    );
    expect(summarizeResult({ a: 1, b: 2 }, { a: 1, b: 2 })).toBe('{"a":1,"b":2}');
    expect(summarizeResult({ long: 'y'.repeat(500) }, {}).length).toBeLessThanOrEqual(80);
  });
});
