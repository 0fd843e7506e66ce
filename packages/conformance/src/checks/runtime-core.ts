// Core tier of a runtime: a run goes from creation to a terminal state and a valid result.
import type { RunResult, RunStatus } from '@arp-ts/sdk';
import {
  createRun,
  getRunResult,
  getRunStatus,
  newRunId,
  resultStateMismatch,
  SIMPLE_GOAL,
  waitForTerminal,
} from './runtime-runs.js';
import { fail, pass, warn, type Suite } from './suite.js';

/** The run made by the core tier, reused by the deep tier. */
export interface CoreRun {
  runId: string;
  /** Set once the run reached a terminal state. */
  terminal?: RunStatus;
  result?: RunResult;
}

export async function runRuntimeCoreChecks(suite: Suite): Promise<CoreRun | undefined> {
  const runId = newRunId('core');
  let created: RunStatus | undefined;
  await suite.run('runtime.core.create_run', async ({ http }) => {
    created = await createRun(http, { run_id: runId, input: { goal: SIMPLE_GOAL } });
    return pass(`run ${runId} accepted in state "${created.state}"`);
  });

  const core: CoreRun = { runId };
  if (!created) {
    const reason = 'needs the run of runtime.core.create_run';
    suite.skip('runtime.core.poll_status', reason);
    suite.skip('runtime.core.get_result', reason);
  } else {
    await suite.run('runtime.core.poll_status', async ({ http, options }) => {
      const terminal = await waitForTerminal(http, runId, options.pollTimeoutMs);
      // A terminal state is final: asking again must give the same one.
      const again = await getRunStatus(http, runId);
      if (again.state !== terminal.status.state) {
        return fail(`the run was "${terminal.status.state}", then "${again.state}"`);
      }
      core.terminal = terminal.status;
      return pass(`${terminal.states.join(' -> ')} after ${terminal.polls} polls`);
    });

    const terminal = core.terminal;
    if (!terminal) {
      suite.skip('runtime.core.get_result', 'needs a terminal run (runtime.core.poll_status)');
    } else {
      await suite.run('runtime.core.get_result', async ({ http }) => {
        const result = await getRunResult(http, runId);
        core.result = result;
        const mismatch = resultStateMismatch(terminal.state, result);
        if (mismatch) return fail(mismatch);
        if (!result.ok && !result.error) {
          return warn(`the run ended ${terminal.state} and its result has no error`);
        }
        if (!result.ok) {
          return warn(
            `the result is valid, but the run of "${SIMPLE_GOAL}" ended ${terminal.state}` +
              ` (${result.error?.code ?? 'no code'}: ${result.error?.message ?? ''})`,
          );
        }
        return pass(
          `ok: true, output keys: ${Object.keys(result.output ?? {}).join(', ') || 'none'}`,
        );
      });
    }
  }

  await suite.run('runtime.core.assigned_run_id', async ({ http }) => {
    const status = await createRun(http, { input: { goal: SIMPLE_GOAL } });
    if (status.run_id.length === 0) return fail('the assigned run_id is empty');
    await getRunStatus(http, status.run_id);
    return pass(`assigned run_id "${status.run_id}"`);
  });

  return created ? core : undefined;
}
