import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { describe, expect, it } from 'vitest';
import { findExpression, findZone, splitClauses } from '../src/stub/intents.js';
import { finalText, FIXED_NOW, harness, stepsOf } from './helpers.js';

const registry = createToolRegistry({ clock: { now: () => FIXED_NOW } });

describe('stub mode with the in-process registry', () => {
  it('answers the tutorial question in its format', async () => {
    const h = harness(registry);
    const outcome = await h.run({ input: { goal: 'What is (19*23)?' } });
    expect(outcome.status.state).toBe('succeeded');
    expect(outcome.result.ok).toBe(true);
    expect(finalText(outcome)).toBe('19*23 = 437');
    expect(stepsOf(outcome)).toEqual([
      { index: 0, type: 'plan', ok: true, result: { planned: 1 } },
      {
        index: 1,
        type: 'tool',
        tool: 'calc',
        tool_id: 'tool_calc',
        args: { expression: '19*23' },
        ok: true,
        result: { expression: '19*23', value: 437 },
      },
      { index: 2, type: 'chat', ok: true },
    ]);
    expect(outcome.result.usage).toMatchObject({ tool_calls: 1, model_calls: 3 });
  });

  it('runs bare arithmetic through calc', async () => {
    const outcome = await harness(registry).run({ input: { goal: 'What is 2 + 3 * 4?' } });
    expect(finalText(outcome)).toBe('2 + 3 * 4 = 14');
  });

  it.each([
    ['What time is it in UTC?', 'The time in UTC is 2026-01-02T03:04:05.000+00:00.'],
    ['What time is it in Asia/Tokyo?', 'The time in Asia/Tokyo is 2026-01-02T12:04:05.000+09:00.'],
    ['What is the time in Tokyo?', 'The time in Asia/Tokyo is 2026-01-02T12:04:05.000+09:00.'],
    [
      "What's the date in new york?",
      'The time in America/New_York is 2026-01-01T22:04:05.000-05:00.',
    ],
  ])('answers %s with time_now', async (goal, expected) => {
    const outcome = await harness(registry).run({ input: { goal } });
    expect(finalText(outcome)).toBe(expected);
  });

  it('echoes a goal it does not understand', async () => {
    const outcome = await harness(registry).run({ input: { goal: 'Say hello' } });
    expect(finalText(outcome)).toBe('Say hello');
    expect(stepsOf(outcome)[1]).toMatchObject({ tool: 'echo', args: { text: 'Say hello' } });
  });

  it('plans several intents as several tool steps, in order', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'What is (2+3) and what time is it in Tokyo?' },
    });
    expect(finalText(outcome)).toBe(
      '2+3 = 5\nThe time in Asia/Tokyo is 2026-01-02T12:04:05.000+09:00.',
    );
    expect(stepsOf(outcome).map((s) => s.tool ?? s.type)).toEqual([
      'plan',
      'calc',
      'time_now',
      'chat',
    ]);
  });
});

describe('stub intent parsing', () => {
  it('splits clauses at and/then/,/; but not inside parentheses or in 1,000', () => {
    expect(splitClauses('What is (max(1, 2)+1) and say hi; then what time is it, please')).toEqual([
      'What is (max(1, 2)+1)',
      'say hi',
      'what time is it',
      'please',
    ]);
    expect(splitClauses('What is 1,000+1?')).toEqual(['What is 1,000+1?']);
  });

  it('finds the expression, dropping parentheses that wrap all of it', () => {
    expect(findExpression('What is ((1+2)*3)?')).toBe('(1+2)*3');
    expect(findExpression('Compute (2^10) please')).toBe('2^10');
    expect(findExpression('In 2026 I turn 40')).toBeUndefined();
  });

  it('maps zones: IANA names, UTC, known places, unknown names as given', () => {
    expect(findZone('time in Europe/Paris')).toBe('Europe/Paris');
    expect(findZone('time in utc')).toBe('UTC');
    expect(findZone('time in Los Angeles?')).toBe('America/Los_Angeles');
    expect(findZone('time in Mars?')).toBe('Mars');
    expect(findZone('what time is it?')).toBeUndefined();
  });

  it('reports a zone time_now does not know as a failed step', async () => {
    const outcome = await harness(registry).run({ input: { goal: 'What time is it in Mars?' } });
    expect(outcome.result.ok).toBe(true);
    expect(finalText(outcome)).toBe(
      "time_now failed: tool.invalid_args: Unknown time zone 'Mars'.",
    );
  });

  it('handles explicit echoes among other intents and drops clauses it does not understand', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'Say "hello there", then what is 6*7; thanks' },
    });
    expect(finalText(outcome)).toBe('hello there\n6*7 = 42');
  });
});
