// A planning step: the first plan (round 0) and every `plan` step the planner put in its plan.
import type { PlannedStep, PlannerInput, StepRecord, ToolSummary } from '../models.js';
import { codeOf, FlowFailure, messageOf } from './failure.js';
import { recordModelCall } from './model-calls.js';
import { checkPlan } from './plan-shape.js';
import { isToolAllowed } from './policy.js';
import { listTools } from './registry-calls.js';
import type { RunContext } from './run-context.js';

const NO_STEPS: readonly StepRecord[] = Object.freeze([]);

async function offeredTools(ctx: RunContext): Promise<ToolSummary[]> {
  const tools = await listTools(ctx);
  const offered: ToolSummary[] = [];
  for (const tool of tools) {
    if (!isToolAllowed(ctx.policy, tool)) continue;
    const summary: ToolSummary = {
      tool_id: tool.tool_id,
      name: tool.name,
      input_schema: tool.input_schema,
    };
    if (tool.description !== undefined) summary.description = tool.description;
    offered.push(summary);
  }
  return offered;
}

export async function runPlanStep(ctx: RunContext, round: number): Promise<PlannedStep[]> {
  const record: StepRecord = { index: ctx.steps.length, type: 'plan' };
  const before = round === 0 ? NO_STEPS : ctx.steps.slice();
  ctx.steps.push(record);
  ctx.stepStarted(record);

  // The tool list is fetched at most once per run, and only if the planner asks for it. A
  // registry failure there is remembered so a planner that swallows it cannot hide it.
  let toolsFailure: FlowFailure | undefined;
  const input: PlannerInput = {
    goal: ctx.input.goal,
    context: ctx.input.context,
    data: ctx.input.data,
    round,
    steps: before,
    tools: () => {
      ctx.offeredTools ??= offeredTools(ctx);
      return ctx.offeredTools.catch((err: unknown) => {
        if (err instanceof FlowFailure) toolsFailure = err;
        throw err;
      });
    },
  };

  const planner = ctx.models.planner;
  const startedMs = ctx.trace ? ctx.clock.now() : 0;
  let answer;
  try {
    answer = await ctx.guard(
      planner.plan(input, { signal: ctx.signal, onPrompt: ctx.promptHook('planner') }),
    );
  } catch (err) {
    if (err instanceof FlowFailure) throw err;
    if (toolsFailure) throw toolsFailure;
    ctx.checkStopped();
    const code = codeOf(err);
    if (code === 'planner.invalid_plan') {
      throw new FlowFailure({
        code,
        message: `the planner gave an invalid plan: ${messageOf(err)}`,
      });
    }
    const cause: { message: string; code?: string } = { message: messageOf(err) };
    if (code !== undefined) cause.code = code;
    const retryable =
      typeof err === 'object' &&
      err !== null &&
      (err as { retryable?: unknown }).retryable === true;
    throw new FlowFailure({
      code: 'planner.failed',
      message: `the planner failed: ${cause.message}`,
      retryable,
      cause,
    });
  }
  if (toolsFailure) throw toolsFailure;
  recordModelCall(ctx, 'planner', planner.model, answer.usage, startedMs);

  const check = checkPlan(answer.steps);
  if (!check.ok) {
    record.ok = false;
    throw new FlowFailure({
      code: 'planner.invalid_plan',
      message: `the planner gave an invalid plan: ${check.problem}`,
    });
  }
  record.ok = true;
  record.result = { planned: check.steps.length };
  ctx.stepCompleted(record);
  if (ctx.trace) {
    for (let i = 0; i < check.steps.length; i++) {
      ctx.emitTrace('step_created', 'info', {
        ...check.steps[i],
        planned_by: record.index,
        position: i,
      });
    }
  }
  return check.steps;
}
