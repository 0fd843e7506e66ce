// Surface tier of a runtime: the required endpoints exist and refuse what they must refuse with
// ErrorEnvelopes.
import { runUnknownRouteCheck, unknownId } from './common.js';
import { expectErrorEnvelope } from './expect.js';
import { runPath } from './runtime-runs.js';
import { fail, pass, type Suite } from './suite.js';

export async function runRuntimeSurfaceChecks(suite: Suite): Promise<void> {
  await suite.run('runtime.surface.create_run_empty_body', async ({ http }) => {
    const res = await http.send({ method: 'POST', path: '/v1/runs', body: {} });
    const envelope = expectErrorEnvelope(res, '4xx', 'POST /v1/runs with {}');
    return pass(`${res.status} ${envelope.error.code}`);
  });

  await suite.run('runtime.surface.create_run_invalid_json', async ({ http }) => {
    const res = await http.send({ method: 'POST', path: '/v1/runs', body: '{"input": {' });
    const envelope = expectErrorEnvelope(res, 400, 'POST /v1/runs with unparseable JSON');
    return pass(`400 ${envelope.error.code}`);
  });

  for (const [id, suffix] of [
    ['runtime.surface.get_run_unknown', ''],
    ['runtime.surface.get_result_unknown', '/result'],
  ] as const) {
    await suite.run(id, async ({ http }) => {
      const path = runPath(unknownId('run'), suffix);
      const res = await http.send({ method: 'GET', path });
      const envelope = expectErrorEnvelope(res, 404, `GET ${path}`);
      // A 404 for the route itself means the endpoint does not exist at all.
      if (envelope.error.code === 'route.not_found') {
        return fail(`GET ${path}: 404 route.not_found, the endpoint does not exist`);
      }
      return pass(`404 ${envelope.error.code}`);
    });
  }

  await runUnknownRouteCheck(suite, 'runtime');
}
