import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { describe, expect, it } from 'vitest';
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
