// Checks a planner's answer: an array of tool and plan steps, bounded in size. Anything else is
// `planner.invalid_plan`; the engine never runs a step it has not checked.
import type { PlannedStep } from '../models.js';
import { MAX_PLANNED_STEPS } from './types.js';
import { isPlainObject } from '../is-plain-object.js';

const MAX_TOOL_NAME_LENGTH = 256;
const MAX_INTENT_LENGTH = 10_000;

export type PlanCheck = { ok: true; steps: PlannedStep[] } | { ok: false; problem: string };

function checkStep(raw: unknown, at: number): string | undefined {
  if (!isPlainObject(raw)) return `step ${at} is not an object`;
  if (raw.type === 'plan') {
    if (raw.note !== undefined && typeof raw.note !== 'string')
      return `step ${at}: note must be a string`;
    return undefined;
  }
  if (raw.type !== 'tool') return `step ${at}: type must be "tool" or "plan"`;
  const tool = raw.tool;
  if (typeof tool !== 'string' || tool.length === 0 || tool.length > MAX_TOOL_NAME_LENGTH) {
    return `step ${at}: tool must be a non-empty string of at most ${MAX_TOOL_NAME_LENGTH} characters`;
  }
  const intent = raw.intent;
  if (intent !== undefined && (typeof intent !== 'string' || intent.length > MAX_INTENT_LENGTH)) {
    return `step ${at}: intent must be a string of at most ${MAX_INTENT_LENGTH} characters`;
  }
  if (raw.args !== undefined && !isPlainObject(raw.args))
    return `step ${at}: args must be an object`;
  return undefined;
}

export function checkPlan(steps: unknown): PlanCheck {
  if (!Array.isArray(steps)) return { ok: false, problem: 'the plan is not a list of steps' };
  if (steps.length > MAX_PLANNED_STEPS) {
    return {
      ok: false,
      problem: `the plan has ${steps.length} steps, more than ${MAX_PLANNED_STEPS}`,
    };
  }
  for (let i = 0; i < steps.length; i++) {
    const problem = checkStep(steps[i], i);
    if (problem !== undefined) return { ok: false, problem };
  }
  return { ok: true, steps: steps as PlannedStep[] };
}
