// Deep tier of a runtime, the optional cancel operation. Whether it is offered is learnt from the
// answer for a finished run: 404 route.not_found (or a 404 without envelope), 405 or 501 mean the
// runtime does not offer cancel and the checks are SKIP.
import { isTerminalRunState, validateRunStatus } from '@arp-ts/sdk';
import { unknownId } from './common.js';
import { envelopeCode, expectErrorEnvelope, expectOkJson, snippet } from './expect.js';
import type { CoreRun } from './runtime-core.js';
import { saysNotOffered } from './runtime-events.js';
import {
  createRun,
  getRunResult,
  getRunStatus,
  MULTI_STEP_GOAL,
  newRunId,
  runPath,
  waitForTerminal,
} from './runtime-runs.js';
import { fail, pass, skip, warn, type Suite } from './suite.js';

const LATER_CHECKS = [
  'runtime.deep.cancel.unknown_run',
  'runtime.deep.cancel.active_run',
  'runtime.deep.cancel.repeat',
] as const;

const cancelPath = (runId: string): string => runPath(runId, ':cancel');

export async function runCancelChecks(suite: Suite, core: CoreRun | undefined): Promise<void> {
  const terminal = core?.terminal;
  if (!core || !terminal) {
    const reason = 'needs a terminal run (runtime.core.poll_status)';
    suite.skip('runtime.deep.cancel.terminal_run', reason);
    for (const id of LATER_CHECKS) suite.skip(id, reason);
    return;
  }

  let offered = false;
  let notOffered = '';
  await suite.run('runtime.deep.cancel.terminal_run', async ({ http }) => {
    const res = await http.send({ method: 'POST', path: cancelPath(core.runId) });
    if (saysNotOffered(res.status, res.json)) {
      notOffered = `${res.status} ${envelopeCode(res.json) ?? ''}`.trim();
      return skip(`the runtime does not offer cancel (${notOffered})`);
    }
    offered = true;
    const envelope = expectErrorEnvelope(res, 409, `cancel of a ${terminal.state} run`);
    const after = await getRunStatus(http, core.runId);
    if (after.state !== terminal.state) {
      return fail(`the ${terminal.state} run became "${after.state}" after a refused cancel`);
    }
    return envelope.error.code === 'run.already_terminal'
      ? pass('409 run.already_terminal')
      : warn(`409 ${envelope.error.code}; the standard's code is run.already_terminal`);
  });

  if (!offered) {
    const reason = notOffered
      ? `the runtime does not offer cancel (${notOffered})`
      : 'needs the cancel operation (runtime.deep.cancel.terminal_run)';
    for (const id of LATER_CHECKS) suite.skip(id, reason);
    return;
  }

  await suite.run('runtime.deep.cancel.unknown_run', async ({ http }) => {
    const path = cancelPath(unknownId('run'));
    const res = await http.send({ method: 'POST', path });
    const envelope = expectErrorEnvelope(res, 404, `POST ${path}`);
    return pass(`404 ${envelope.error.code}`);
  });

  let canceledRunId: string | undefined;
  await suite.run('runtime.deep.cancel.active_run', async ({ http, options }) => {
    const runId = newRunId('cancel');
    await createRun(http, { run_id: runId, input: { goal: MULTI_STEP_GOAL } });
    const res = await http.send({ method: 'POST', path: cancelPath(runId) });
    if (res.status === 409) {
      const envelope = expectErrorEnvelope(res, 409, `POST ${cancelPath(runId)}`);
      const now = await getRunStatus(http, runId);
      if (isTerminalRunState(now.state) && now.state !== 'canceled') {
        return pass(
          `the run had already ${now.state} when the cancel arrived (409 ${envelope.error.code}); ` +
            'cancelling an active run was not exercised',
        );
      }
      return fail(`409 ${envelope.error.code} although the run is "${now.state}"`);
    }
    if (res.status !== 200) {
      return fail(
        `expected 200 (or 409 for a finished run), got ${res.status}: ${snippet(res.text)}`,
      );
    }
    const answered = expectOkJson(res, validateRunStatus, `POST ${cancelPath(runId)}`);
    if (answered.run_id !== runId) return fail(`answered for run "${answered.run_id}"`);
    if (answered.state === 'succeeded' || answered.state === 'failed') {
      return fail(`200 with state "${answered.state}"; cancelling a finished run is a 409`);
    }
    const final = await waitForTerminal(http, runId, options.pollTimeoutMs);
    if (final.status.state !== 'canceled') {
      return fail(`the cancel was accepted (200) but the run ended "${final.status.state}"`);
    }
    const result = await getRunResult(http, runId);
    if (result.ok) return fail('the canceled run has a result with ok: true');
    canceledRunId = runId;
    const code = result.error?.code;
    return code === 'run.canceled'
      ? pass(`canceled (answered "${answered.state}"), result ok: false run.canceled`)
      : warn(
          `canceled, but the result's error code is ${code ?? 'missing'} (run.canceled expected)`,
        );
  });

  if (!canceledRunId) {
    suite.skip(
      'runtime.deep.cancel.repeat',
      'no run was canceled (runtime.deep.cancel.active_run)',
    );
    return;
  }
  const runId = canceledRunId;
  await suite.run('runtime.deep.cancel.repeat', async ({ http }) => {
    const res = await http.send({ method: 'POST', path: cancelPath(runId) });
    const status = expectOkJson(res, validateRunStatus, `a second POST ${cancelPath(runId)}`);
    if (status.state !== 'canceled')
      return fail(`answered state "${status.state}", expected canceled`);
    return pass('200 with state canceled');
  });
}
