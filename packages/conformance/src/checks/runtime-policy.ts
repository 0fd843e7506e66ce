// Deep tier of a runtime, limits and tool policy. The kit cannot see inside a runtime, so it
// judges by what the runtime shows: tool_result events (when the stream is offered) and the steps
// a result's output records. It fails only on proof of a violation: more successful tool steps
// than `limits.max_steps` allows, or a successful use of a denied tool. Error codes beyond the
// standard (such as `limits.max_steps_exceeded`) are conventions, so a different one only warns.
import type { RunEvent, RunRequest, RunResult, RunStatus } from '@arp-ts/sdk';
import type { HttpClient } from '../http.js';
import {
  analyseStream,
  countSuccessfulToolResults,
  countSuccessfulToolStepsInOutput,
  streamRunEvents,
  successfulToolInOutput,
  successfulToolResult,
} from './runtime-events.js';
import {
  createRun,
  getRunResult,
  MULTI_STEP_GOAL,
  newRunId,
  SIMPLE_GOAL,
  waitForTerminal,
} from './runtime-runs.js';
import { fail, pass, warn, type ResolvedOptions, type Suite } from './suite.js';

export const MAX_STEPS_UNDER_TEST = 1;
/** The calc tool of the reference core domain, by tool_id and by name. */
export const DENIED_TOOLS = ['tool_calc', 'calc'];
/** 19*23: what a run of SIMPLE_GOAL can only know by invoking calc (or by a model's own sum). */
const SIMPLE_GOAL_ANSWER = '437';

interface ObservedRun {
  runId: string;
  status: RunStatus;
  result: RunResult;
  /** The run's events when the runtime offers the stream. */
  events?: RunEvent[];
}

async function observeRun(
  http: HttpClient,
  options: ResolvedOptions,
  request: RunRequest & { run_id: string },
  eventsOffered: boolean,
): Promise<ObservedRun> {
  await createRun(http, request);
  let events: RunEvent[] | undefined;
  if (eventsOffered) {
    const read = await streamRunEvents(http, request.run_id, options.pollTimeoutMs);
    if (read.status === 200) {
      events = analyseStream(read, {
        runId: request.run_id,
        firstSeq: 0,
        checkTerminal: false,
      }).events;
    }
  }
  const terminal = await waitForTerminal(http, request.run_id, options.pollTimeoutMs);
  const result = await getRunResult(http, request.run_id);
  return { runId: request.run_id, status: terminal.status, result, ...(events ? { events } : {}) };
}

export async function runPolicyChecks(suite: Suite, eventsOffered: boolean): Promise<void> {
  await suite.run('runtime.deep.limits.max_steps', async ({ http, options }) => {
    const run = await observeRun(
      http,
      options,
      {
        run_id: newRunId('max-steps'),
        input: { goal: MULTI_STEP_GOAL },
        limits: { max_steps: MAX_STEPS_UNDER_TEST },
      },
      eventsOffered,
    );
    const seen: Array<[number, string]> = [];
    if (run.events) seen.push([countSuccessfulToolResults(run.events), 'tool_result events']);
    const inOutput = countSuccessfulToolStepsInOutput(run.result.output);
    if (inOutput !== undefined) seen.push([inOutput, 'output.steps']);
    const worst = seen.reduce<[number, string] | undefined>(
      (max, entry) => (max === undefined || entry[0] > max[0] ? entry : max),
      undefined,
    );
    const state = run.status.state;
    if (worst && worst[0] > MAX_STEPS_UNDER_TEST) {
      return fail(
        `with limits.max_steps ${MAX_STEPS_UNDER_TEST} the run executed ${worst[0]} tool steps ` +
          `(${worst[1]}) and ended ${state}`,
      );
    }
    if (state === 'succeeded') {
      return worst
        ? pass(`succeeded within the limit (${worst[0]} tool step(s) per ${worst[1]})`)
        : warn('succeeded, but the runtime shows no steps (no events, no output.steps) to verify');
    }
    const code = run.result.error?.code;
    if (state === 'failed' && code === 'limits.max_steps_exceeded') {
      return pass(
        `failed with limits.max_steps_exceeded after ${worst?.[0] ?? 'an unknown number of'} tool step(s)`,
      );
    }
    return warn(
      `ended ${state} with ${code ?? 'no error code'}; this kit expects limits.max_steps_exceeded ` +
        '(a convention, not a code of the standard)',
    );
  });

  await suite.run('runtime.deep.tool_policy.deny', async ({ http, options }) => {
    const run = await observeRun(
      http,
      options,
      {
        run_id: newRunId('deny'),
        input: { goal: SIMPLE_GOAL },
        tool_policy: { deny_tool_ids: DENIED_TOOLS },
      },
      eventsOffered,
    );
    const denied = DENIED_TOOLS.join(', ');
    const event = run.events ? successfulToolResult(run.events, DENIED_TOOLS) : undefined;
    if (event) {
      return fail(
        `tool_result event seq ${event.seq} shows a successful invocation of a denied tool (${denied})`,
      );
    }
    const path = successfulToolInOutput(run.result.output, DENIED_TOOLS);
    if (path) return fail(`${path} records a successful invocation of a denied tool (${denied})`);
    const evidence = run.events
      ? `no successful ${denied} among ${run.events.length} events`
      : 'no successful use of it in the output';
    if (JSON.stringify(run.result.output ?? {}).includes(SIMPLE_GOAL_ANSWER)) {
      return warn(
        `${evidence}, yet the output holds ${SIMPLE_GOAL_ANSWER} (19*23): a model may have ` +
          'computed it, or the tool ran unseen',
      );
    }
    if (!run.events && run.result.output === undefined) {
      return warn(`run ${run.status.state}; no events and no output to verify the policy with`);
    }
    return pass(`run ${run.status.state}; ${evidence}`);
  });
}
