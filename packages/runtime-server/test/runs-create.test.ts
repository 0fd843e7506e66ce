import { validateRunResult, validateRunStatus, type RunStatus } from '@arp-ts/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RUN_ID_PATTERN } from '../src/index.js';
import {
  call,
  createRun,
  expectError,
  expectOk,
  getResult,
  getStatus,
  postRun,
  waitForStatus,
} from './helpers/http.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('POST /v1/runs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers queued or running at once and finishes the run in the background', async () => {
    const status = await createRun(server.url, { input: { goal: 'What is (19*23)?' } });
    expect(['queued', 'running']).toContain(status.state);
    expect(status.run_id).toMatch(RUN_ID_PATTERN);
    const done = await waitForStatus(server.url, status.run_id, (s) => s.state === 'succeeded');
    expect(done.started_at).toBeDefined();
    expect(done.ended_at).toBeDefined();
    const result = await getResult(server.url, status.run_id);
    expect(result).toMatchObject({ run_id: status.run_id, ok: true });
    expect(result.output?.final_text).toContain('437');
  });

  it('keeps a client run_id and refuses a second run with it (409 run.already_exists)', async () => {
    const runId = 'client-run:1.a_b';
    const status = await createRun(server.url, { run_id: runId, input: { goal: 'say hi' } });
    expect(status.run_id).toBe(runId);
    const again = await postRun(server.url, { run_id: runId, input: { goal: 'say hi' } });
    const envelope = expectError(again, 409, 'run.already_exists');
    expect(envelope.error.details).toMatchObject({ run_id: runId });
  });

  it('refuses a body that is not a RunRequest (400 request.invalid_shape, with the issues)', async () => {
    const cases: unknown[] = [
      {},
      { input: {} },
      { input: { goal: 42 } },
      { input: { goal: 'x' }, unknown_field: true },
      { input: { goal: 'x' }, limits: { max_steps: 0 } },
      [],
      'a string',
      null,
    ];
    for (const body of cases) {
      const answer = await call(server.url, '/v1/runs', { method: 'POST', json: body });
      const envelope = expectError(answer, 400, 'request.invalid_shape');
      const issues = envelope.error.details?.issues;
      expect(Array.isArray(issues) && issues.length > 0, JSON.stringify(body)).toBe(true);
    }
  });

  it('refuses malformed JSON and a missing body (400 request.invalid_json)', async () => {
    const malformed = await call(server.url, '/v1/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"input": {"goal": ',
    });
    expectError(malformed, 400, 'request.invalid_json');
    const empty = await call(server.url, '/v1/runs', { method: 'POST' });
    expectError(empty, 400, 'request.invalid_json');
  });

  it('refuses a body that is not JSON (415)', async () => {
    const answer = await call(server.url, '/v1/runs', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'input=goal',
    });
    expectError(answer, 415, 'request.unsupported_media_type');
  });

  it('refuses bodies over the default 1 MiB limit (413 request.too_large)', async () => {
    const goal = 'x'.repeat(1024 * 1024 + 10);
    const answer = await postRun(server.url, { input: { goal } });
    expectError(answer, 413, 'request.too_large');
    const justUnder = await postRun(server.url, {
      input: { goal: 'say ' + 'y'.repeat(1000 * 1000) },
    });
    expectOk(justUnder, validateRunStatus);
  });

  it('with Prefer: wait=N answers once the run has ended', async () => {
    const answer = await postRun(server.url, { input: { goal: 'What is (2+3)?' } }, { wait: 10 });
    const status = expectOk(answer, validateRunStatus);
    expect(status.state).toBe('succeeded');
    expect(answer.headers.get('preference-applied')).toBe('wait=10');
    // The result is readable right away.
    const result = await getResult(server.url, status.run_id);
    expect(result.ok).toBe(true);
    expect(server.stats().waiting).toBe(0);
  });

  it('with Prefer: wait=N answers after N seconds when the run is still going', async () => {
    const answer = await postRun(server.url, { input: { goal: 'say block-wait' } }, { wait: 1 });
    const status = expectOk(answer, validateRunStatus);
    expect(status.state).toBe('running');
    expect(answer.headers.get('preference-applied')).toBe('wait=1');
    server.gate.release('block-wait');
    await waitForStatus(server.url, status.run_id, (s) => s.state === 'succeeded');
    // Nothing stays registered for waiters that are done (no leak per request).
    expect(server.stats().waiting).toBe(0);
  });

  it('caps Prefer: wait at 60 seconds and ignores other preferences', async () => {
    const answer = await postRun(
      server.url,
      { input: { goal: 'say capped' } },
      { headers: { prefer: 'respond-async, wait=3600' } },
    );
    expectOk(answer, validateRunStatus);
    expect(answer.headers.get('preference-applied')).toBe('wait=60');
    const plain = await postRun(server.url, { input: { goal: 'say plain' } });
    expectOk(plain, validateRunStatus);
    expect(plain.headers.get('preference-applied')).toBeNull();
  });

  it('runs that fail are failed with a result that says why', async () => {
    const status = await createRun(
      server.url,
      { input: { goal: 'say one and say two and say three' }, limits: { max_steps: 1 } },
      { wait: 10 },
    );
    expect(status.state).toBe('failed');
    const result = await getResult(server.url, status.run_id);
    expect(result.ok).toBe(false);
    expect(result.error?.code).toBe('limits.max_steps_exceeded');
  });
});

describe('run lifecycle through the worker pool', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('goes queued -> running -> succeeded, one run at a time with maxConcurrentRuns 1', async () => {
    server = await startTestServer({ maxConcurrentRuns: 1 });
    const first = await createRun(server.url, { input: { goal: 'say block-first' } });
    await server.gate.started('block-first');
    expect((await getStatus(server.url, first.run_id)).state).toBe('running');
    const second = await createRun(server.url, { input: { goal: 'say second' } });
    expect(second.state).toBe('queued');
    expect(server.stats()).toMatchObject({ queueDepth: 1, inFlight: 1 });
    const notYet = await call(server.url, `/v1/runs/${second.run_id}/result`);
    const envelope = expectError(notYet, 409, 'run.not_finished');
    expect(envelope.error.details).toMatchObject({ state: 'queued' });

    server.gate.release('block-first');
    const firstDone = await waitForStatus(server.url, first.run_id, (s) => s.state === 'succeeded');
    const secondDone = await waitForStatus(
      server.url,
      second.run_id,
      (s) => s.state === 'succeeded',
    );
    // The queued run started only after the first one ended.
    expect(Date.parse(secondDone.started_at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(firstDone.ended_at ?? ''),
    );
    const result = await getResult(server.url, second.run_id);
    expect(result.output?.final_text).toContain('second');
  });

  it('GET /v1/runs/{id} and /result answer 404 run.not_found for unknown runs', async () => {
    server = await startTestServer();
    expectError(await call(server.url, '/v1/runs/nope'), 404, 'run.not_found');
    expectError(await call(server.url, '/v1/runs/nope/result'), 404, 'run.not_found');
    expectError(await call(server.url, '/v1/runs/nope/events'), 404, 'run.not_found');
  });

  it('serves results from disk once they left the in-memory cache', async () => {
    server = await startTestServer({ resultCacheSize: 1 });
    const statuses: RunStatus[] = [];
    for (const goal of ['say one', 'say two', 'say three']) {
      statuses.push(await createRun(server.url, { input: { goal } }, { wait: 10 }));
    }
    for (const [i, status] of statuses.entries()) {
      const answer = await call(server.url, `/v1/runs/${status.run_id}/result`);
      const result = expectOk(answer, validateRunResult);
      expect(result.output?.final_text).toContain(['one', 'two', 'three'][i]);
    }
  });
});
