// The stub chat: one line per tool step, in the tutorial's format for calc (`19*23 = 437`), a
// sentence for time_now, the text for echo, and `<tool> failed: <code>: <message>` for a step
// that failed.
import type { ChatAnswer, ChatCallContext, ChatInput, ChatModel, StepRecord } from '../models.js';
import { STUB_MODEL } from './planner.js';
import { stubUsage } from './tokens.js';

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function first(
  record: Record<string, unknown> | undefined,
  keys: readonly string[],
): string | undefined {
  if (!record) return undefined;
  for (const key of keys) {
    const value = text(record[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

const EXPRESSION_KEYS = ['expression', 'expr'];
const VALUE_KEYS = ['value', 'result'];
const ZONE_KEYS = ['tz', 'timezone', 'time_zone', 'zone'];
const TIME_KEYS = ['iso', 'time', 'now', 'datetime', 'iso_time'];
const TEXT_KEYS = ['text', 'message'];

/** One line describing what a tool step did. */
export function describeStep(step: StepRecord): string {
  const tool = step.tool ?? 'tool';
  if (step.ok !== true) {
    const error = step.error;
    return error ? `${tool} failed: ${error.code}: ${error.message}` : `${tool} failed`;
  }
  const result = step.result;
  switch (tool) {
    case 'calc': {
      const expression = first(result, EXPRESSION_KEYS) ?? first(step.args, EXPRESSION_KEYS);
      const value = first(result, VALUE_KEYS);
      if (expression !== undefined && value !== undefined) return `${expression} = ${value}`;
      break;
    }
    case 'time_now': {
      const time = first(result, TIME_KEYS);
      const zone = first(result, ZONE_KEYS) ?? first(step.args, ZONE_KEYS);
      if (time !== undefined) {
        return zone === undefined ? `The time is ${time}.` : `The time in ${zone} is ${time}.`;
      }
      break;
    }
    case 'echo': {
      const echoed = first(result, TEXT_KEYS);
      if (echoed !== undefined) return echoed;
      break;
    }
  }
  return `${tool}: ${JSON.stringify(result ?? {})}`;
}

/** The stub's final text for a record of steps. */
export function stubFinalText(goal: string, steps: readonly StepRecord[]): string {
  let out: string | undefined;
  for (const step of steps) {
    if (step.type !== 'tool') continue;
    const line = describeStep(step);
    out = out === undefined ? line : `${out}\n${line}`;
  }
  return out ?? `Nothing to do for: ${goal}`;
}

export function createStubChat(): ChatModel {
  return {
    model: STUB_MODEL,
    respond(input: ChatInput, ctx: ChatCallContext): Promise<ChatAnswer> {
      ctx.onPrompt?.({ model: STUB_MODEL, prompt: input.goal });
      const finalText = stubFinalText(input.goal, input.steps);
      ctx.onToken?.(finalText);
      return Promise.resolve({
        text: finalText,
        usage: stubUsage(input.goal.length + 16 * input.steps.length, finalText.length),
      });
    },
  };
}
