// runFlow: one run from RunRequest to RunStatus + RunResult. Planner -> tool and plan steps (the
// plan may grow while it runs) -> Chat. A failure never rejects: it is a resolved outcome.
import type { ArpError, ResourceRef, RunRequest, RunResult, RunStatus } from '@arp-ts/sdk';
import type { PlannedStep } from '../models.js';
import { runChatStep } from './chat-step.js';
import { FlowFailure, messageOf } from './failure.js';
import { runPlanStep } from './plan-step.js';
import { isoTime } from '../iso-time.js';
import { RunContext } from './run-context.js';
import { runToolStep } from './tool-step.js';
import type { FlowDeps, FlowOutcome, RunFlowOptions, RunOutput } from './types.js';

async function execute(ctx: RunContext): Promise<string> {
  const queue: PlannedStep[] = await runPlanStep(ctx, 0);
  let round = 0;
  for (let position = 0; position < queue.length; position++) {
    ctx.checkStopped();
    const step = queue[position] as PlannedStep;
    if (ctx.countedSteps >= ctx.maxSteps) {
      throw new FlowFailure({
        code: 'limits.max_steps_exceeded',
        message: `the run needs more than its limit of ${ctx.maxSteps} steps`,
        details: { max_steps: ctx.maxSteps, pending_steps: queue.length - position },
      });
    }
    ctx.countedSteps++;
    if (step.type === 'plan') {
      const more = await runPlanStep(ctx, ++round);
      if (more.length > 0) queue.splice(position + 1, 0, ...more);
    } else {
      await runToolStep(ctx, step);
    }
  }
  ctx.checkStopped();
  return runChatStep(ctx);
}

/** Turns anything thrown out of the flow into the failure it stands for. */
function toFailure(ctx: RunContext, err: unknown): FlowFailure {
  if (ctx.stopped) return ctx.stopFailure();
  if (err instanceof FlowFailure) return err;
  return new FlowFailure({
    code: 'runtime.internal_error',
    message: `the run failed unexpectedly: ${messageOf(err)}`,
  });
}

function artifactsOf(ctx: RunContext): ResourceRef[] | undefined {
  const uri = ctx.trace?.traceUri?.(ctx.runId);
  return uri === undefined ? undefined : [{ type: 'trace', id: ctx.runId, uri }];
}

function succeed(ctx: RunContext, finalText: string): FlowOutcome {
  const endedAt = ctx.isoNow();
  const usage = ctx.usage();
  const output: RunOutput = { final_text: finalText, steps: ctx.steps };
  const result: RunResult = { run_id: ctx.runId, ok: true, output, usage };
  const artifacts = artifactsOf(ctx);
  if (artifacts) result.artifacts = artifacts;
  if (ctx.trace) {
    ctx.emitTrace('flow_completed', 'info', { final_text: finalText, usage });
    ctx.trace.endRun?.(ctx.runId);
  }
  ctx.emitEvent('final', { final_text: finalText });
  const status: RunStatus = {
    run_id: ctx.runId,
    state: 'succeeded',
    started_at: isoTime(ctx.startedMs),
    ended_at: endedAt,
  };
  return { status, result };
}

function fail(ctx: RunContext, failure: FlowFailure): FlowOutcome {
  const endedAt = ctx.isoNow();
  const usage = ctx.usage();
  const error: ArpError = failure.error;
  const output: RunOutput = { steps: ctx.steps };
  const result: RunResult = { run_id: ctx.runId, ok: false, error, output, usage };
  const artifacts = artifactsOf(ctx);
  if (artifacts) result.artifacts = artifacts;
  if (ctx.trace) {
    ctx.emitTrace('flow_failed', 'error', { state: failure.state, error, usage });
    ctx.trace.endRun?.(ctx.runId);
  }
  ctx.emitEvent('error', { error });
  const status: RunStatus = {
    run_id: ctx.runId,
    state: failure.state,
    started_at: isoTime(ctx.startedMs),
    ended_at: endedAt,
  };
  return { status, result };
}

function requestProblem(request: RunRequest): string | undefined {
  if (typeof request !== 'object' || request === null) return 'the request is not an object';
  const input = request.input as unknown;
  if (typeof input !== 'object' || input === null) return 'input is required';
  if (typeof (input as { goal?: unknown }).goal !== 'string') return 'input.goal must be a string';
  return undefined;
}

/**
 * Executes one run. Resolves with the terminal RunStatus and the RunResult; never rejects for
 * the run's failure. RunEvents get seq 0, 1, 2, ... and exactly one terminal event.
 */
export async function runFlow(
  request: RunRequest,
  deps: FlowDeps,
  options: RunFlowOptions = {},
): Promise<FlowOutcome> {
  const ctx = new RunContext(request, deps, options.signal);
  try {
    const problem = requestProblem(request);
    if (problem !== undefined) {
      throw new FlowFailure({ code: 'request.invalid_shape', message: problem });
    }
    if (ctx.trace) {
      const data: Record<string, unknown> = { input: request.input, mode: deps.models.mode };
      if (request.limits) data.limits = request.limits;
      if (request.tool_policy) data.tool_policy = request.tool_policy;
      if (request.metadata) data.metadata = request.metadata;
      ctx.emitTrace('flow_started', 'info', data);
    }
    ctx.checkStopped();
    const finalText = await execute(ctx);
    return succeed(ctx, finalText);
  } catch (err) {
    return fail(ctx, toFailure(ctx, err));
  } finally {
    ctx.dispose();
  }
}
