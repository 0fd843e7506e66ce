// The stub planner: deterministic, no network. Round 0 plans the goal's intents (and calc of
// input.data.expression); input.data.replan (a goal or a list of goals) adds a trailing `plan`
// step, and each plan step plans the next of those goals.
import type {
  ModelCallContext,
  PlanAnswer,
  PlannedStep,
  PlannerInput,
  PlannerModel,
} from '../models.js';
import { intentsOf, type Intent } from './intents.js';
import { stubUsage } from './tokens.js';

export const STUB_MODEL = 'stub';

function stepFor(intent: Intent): PlannedStep {
  switch (intent.kind) {
    case 'calc':
      return { type: 'tool', tool: 'calc', intent: intent.expression };
    case 'time':
      return intent.zone === undefined
        ? { type: 'tool', tool: 'time_now' }
        : { type: 'tool', tool: 'time_now', intent: intent.zone };
    case 'echo':
      return { type: 'tool', tool: 'echo', intent: intent.text };
  }
}

/** The follow-up goals of input.data.replan, in order. */
export function replanGoals(data: Record<string, unknown> | undefined): string[] {
  const replan = data?.replan;
  if (typeof replan === 'string') return [replan];
  if (Array.isArray(replan))
    return replan.filter((goal): goal is string => typeof goal === 'string');
  return [];
}

export function createStubPlanner(): PlannerModel {
  return {
    model: STUB_MODEL,
    plan(input: PlannerInput, ctx: ModelCallContext): Promise<PlanAnswer> {
      const followUps = replanGoals(input.data);
      let goal: string;
      let intents: Intent[];
      if (input.round === 0) {
        goal = input.goal;
        const expression = input.data?.expression;
        intents =
          typeof expression === 'string'
            ? [{ kind: 'calc', expression }, ...intentsOf(goal, { echoFallback: false })]
            : intentsOf(goal, { echoFallback: true });
      } else {
        goal = followUps[input.round - 1] ?? '';
        intents = goal === '' ? [] : intentsOf(goal, { echoFallback: true });
      }
      ctx.onPrompt?.({ model: STUB_MODEL, prompt: goal });
      const steps: PlannedStep[] = intents.map(stepFor);
      if (input.round < followUps.length) {
        steps.push({ type: 'plan', note: `re-plan with input.data.replan[${input.round}]` });
      }
      let outputChars = 0;
      for (const step of steps) {
        if (step.type === 'tool') outputChars += step.tool.length + (step.intent?.length ?? 0);
      }
      return Promise.resolve({ steps, usage: stubUsage(goal.length, outputChars) });
    },
  };
}
