// Deep tier of a runtime, request validation: every invalid RunRequest is refused with 400, and a
// run_id cannot be used twice.
import { INVALID_RUN_REQUESTS } from '../vectors/invalid-run-requests.js';
import type { CoreRun } from './runtime-core.js';
import { envelopeCode, expectErrorEnvelope, snippet } from './expect.js';
import { SIMPLE_GOAL } from './runtime-runs.js';
import { fail, pass, warn, type Suite } from './suite.js';

export async function runRunRequestValidationChecks(suite: Suite): Promise<void> {
  for (const vector of INVALID_RUN_REQUESTS) {
    await suite.run(`runtime.deep.invalid_run_request.${vector.id}`, async ({ http }) => {
      const res = await http.send({ method: 'POST', path: '/v1/runs', body: vector.body });
      const envelope = expectErrorEnvelope(res, 400, `POST /v1/runs (${vector.description})`);
      return pass(`400 ${envelope.error.code}`);
    });
  }
}

export async function runDuplicateRunIdCheck(
  suite: Suite,
  core: CoreRun | undefined,
): Promise<void> {
  if (!core) {
    suite.skip('runtime.deep.duplicate_run_id', 'needs the run of runtime.core.create_run');
    return;
  }
  await suite.run('runtime.deep.duplicate_run_id', async ({ http }) => {
    const res = await http.send({
      method: 'POST',
      path: '/v1/runs',
      body: { run_id: core.runId, input: { goal: SIMPLE_GOAL } },
    });
    if (res.status >= 200 && res.status < 300) {
      return fail(`a second POST with run_id "${core.runId}" was accepted (${res.status})`);
    }
    if (res.status === 409) {
      const envelope = expectErrorEnvelope(res, 409, 'POST /v1/runs with an existing run_id');
      return pass(`409 ${envelope.error.code}`);
    }
    if (res.status >= 400 && res.status < 500) {
      const code = envelopeCode(res.json);
      return warn(
        `refused with ${res.status} ${code ?? snippet(res.text)}; the standard's answer is 409`,
      );
    }
    return fail(`expected 409, got ${res.status}: ${snippet(res.text)}`);
  });
}
