import { validateRunStatus } from '@arp-ts/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  call,
  cancelRun,
  createRun,
  expectError,
  expectOk,
  getResult,
  waitForStatus,
} from './helpers/http.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { readAllEvents } from './helpers/sse.js';

describe('POST /v1/runs/{run_id}:cancel', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('cancels a run blocked inside a slow tool: the tool is aborted, the run ends canceled', async () => {
    server = await startTestServer();
    const run = await createRun(server.url, { input: { goal: 'say block-slow' } });
    await server.gate.started('block-slow');
    const status = expectOk(await cancelRun(server.url, run.run_id), validateRunStatus);
    expect(status.state).toBe('canceled');
    expect(status.ended_at).toBeDefined();
    expect(server.gate.aborted.has('block-slow')).toBe(true);
    const result = await getResult(server.url, run.run_id);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('run.canceled');
    const events = await readAllEvents(`${server.url}/v1/runs/${run.run_id}/events`);
    expect(events.at(-1)?.type).toBe('error');
    expect(events.filter((e) => e.type === 'error' || e.type === 'final')).toHaveLength(1);
  });

  it('cancels a queued run before it starts; it never runs', async () => {
    server = await startTestServer({ maxConcurrentRuns: 1 });
    const blocker = await createRun(server.url, { input: { goal: 'say block-a' } });
    await server.gate.started('block-a');
    const queued = await createRun(server.url, { input: { goal: 'say block-b' } });
    expect(queued.state).toBe('queued');
    const status = expectOk(await cancelRun(server.url, queued.run_id), validateRunStatus);
    expect(status.state).toBe('canceled');
    expect(status.started_at).toBeUndefined();
    expect(server.stats().queueDepth).toBe(0);
    const events = await readAllEvents(`${server.url}/v1/runs/${queued.run_id}/events`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      seq: 0,
      type: 'error',
      data: { error: { code: 'run.canceled' } },
    });
    expect((await getResult(server.url, queued.run_id)).error?.code).toBe('run.canceled');

    server.gate.release('block-a');
    await waitForStatus(server.url, blocker.run_id, (s) => s.state === 'succeeded');
    // The canceled run was never picked up by the worker.
    let started = false;
    void server.gate.started('block-b').then(() => (started = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(false);
  });

  it('cancelling a canceled run returns its status; a finished run is 409 run.already_terminal', async () => {
    server = await startTestServer();
    const run = await createRun(server.url, { input: { goal: 'say block-c' } });
    await server.gate.started('block-c');
    expectOk(await cancelRun(server.url, run.run_id), validateRunStatus);
    const again = expectOk(await cancelRun(server.url, run.run_id), validateRunStatus);
    expect(again.state).toBe('canceled');

    const done = await createRun(server.url, { input: { goal: 'say done' } }, { wait: 10 });
    expect(done.state).toBe('succeeded');
    const refused = expectError(
      await cancelRun(server.url, done.run_id),
      409,
      'run.already_terminal',
    );
    expect(refused.error.details).toMatchObject({ state: 'succeeded' });
  });

  it('answers 404 for unknown runs and 405 for POST on a run without :cancel', async () => {
    server = await startTestServer();
    expectError(await cancelRun(server.url, 'missing'), 404, 'run.not_found');
    const run = await createRun(server.url, { input: { goal: 'say x' } }, { wait: 10 });
    const answer = await call(server.url, `/v1/runs/${run.run_id}`, { method: 'POST' });
    expectError(answer, 405, 'request.method_not_allowed');
    expect(answer.headers.get('allow')).toBe('GET');
  });

  it('a client waiting with Prefer: wait gets the canceled status', async () => {
    server = await startTestServer();
    const waiting = call(server.url, '/v1/runs', {
      method: 'POST',
      json: { run_id: 'waited-on', input: { goal: 'say block-w' } },
      headers: { prefer: 'wait=30' },
    });
    await server.gate.started('block-w');
    expectOk(await cancelRun(server.url, 'waited-on'), validateRunStatus);
    const status = expectOk(await waiting, validateRunStatus);
    expect(status.state).toBe('canceled');
  });
});
