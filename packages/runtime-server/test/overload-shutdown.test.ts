import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { validateHealth, validateRunStatus } from '@arp-ts/sdk';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { silentLogger } from '@arp-ts/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntimeServer, MemoryRunStore } from '../src/index.js';
import { createGate } from './helpers/gate.js';
import { call, createRun, expectError, expectOk, getStatus, postRun } from './helpers/http.js';
import { startTestServer, tempDir, type TestServer } from './helpers/server.js';

describe('overload', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('answers 429 runtime.overloaded with Retry-After when pool and queue are full', async () => {
    server = await startTestServer({ maxConcurrentRuns: 2, maxQueuedRuns: 2 });
    const accepted = [];
    for (let i = 0; i < 4; i++) {
      accepted.push(await createRun(server.url, { input: { goal: `say block-o${i}` } }));
    }
    expect(accepted.map((s) => s.state)).toEqual(['running', 'running', 'queued', 'queued']);
    const refused = await postRun(server.url, { run_id: 'one-too-many', input: { goal: 'say x' } });
    expectError(refused, 429, 'runtime.overloaded');
    expect(refused.headers.get('retry-after')).toBe('1');
    // A refused run leaves nothing behind.
    expectError(await call(server.url, '/v1/runs/one-too-many'), 404, 'run.not_found');
    // Room again once a run ends; on a loaded machine that may take longer than expect.poll's
    // default of 1 s.
    server.gate.release('block-o0');
    await expect
      .poll(async () => (await postRun(server.url, { input: { goal: 'say again' } })).status, {
        timeout: 15_000,
      })
      .toBe(200);
    for (let i = 1; i < 4; i++) server.gate.release(`block-o${i}`);
  });

  it('counts concurrent submissions against the limits', async () => {
    server = await startTestServer({ maxConcurrentRuns: 1, maxQueuedRuns: 3 });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        postRun(server.url, { input: { goal: `say block-c${i}` } }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    for (let i = 0; i < 10; i++) server.gate.release(`block-c${i}`);
  });
});

describe('graceful shutdown', () => {
  it('refuses new runs with 503, lets running runs finish within the grace, keeps queued runs queued', async () => {
    const traceDir = await tempDir();
    // The grace outlasts anything a loaded machine does before the release below: the run must
    // end by itself, not be canceled because the requests in between were slow.
    const server = await startTestServer({
      traceDir,
      maxConcurrentRuns: 1,
      shutdownGraceMs: 60_000,
    });
    const running = await createRun(server.url, { input: { goal: 'say block-finish' } });
    await server.gate.started('block-finish');
    const queued = await createRun(server.url, { input: { goal: 'say later' } });
    const closing = server.close();
    const refused = await postRun(server.url, { input: { goal: 'say no' } });
    expectError(refused, 503, 'runtime.shutting_down');
    const health = expectOk(await call(server.url, '/v1/health'), validateHealth);
    expect(health.status).toBe('down');
    expect((await getStatus(server.url, running.run_id)).state).toBe('running');
    server.gate.release('block-finish');
    await closing;
    const text = await readFile(path.join(traceDir, running.run_id, 'status.json'), 'utf8');
    const checked = validateRunStatus(JSON.parse(text));
    expect(checked.ok && checked.value.state).toBe('succeeded');
    // The queued run is still just accepted on disk (request.json), so a restart runs it.
    expect(await readdir(path.join(traceDir, queued.run_id))).toEqual(['request.json']);
    await rm(traceDir, { recursive: true, force: true });
  });

  it('cancels runs still running when the grace is over and writes their state', async () => {
    const traceDir = await tempDir();
    const server = await startTestServer({ traceDir, shutdownGraceMs: 100 });
    const run = await createRun(server.url, { input: { goal: 'say block-forever' } });
    await server.gate.started('block-forever');
    await server.close();
    expect(server.gate.aborted.has('block-forever')).toBe(true);
    const status = JSON.parse(
      await readFile(path.join(traceDir, run.run_id, 'status.json'), 'utf8'),
    ) as { state: string };
    expect(status.state).toBe('canceled');
    const result = JSON.parse(
      await readFile(path.join(traceDir, run.run_id, 'result.json'), 'utf8'),
    ) as { ok: boolean; error: { code: string; details: { reason: string } } };
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'run.canceled', details: { reason: 'shutdown' } },
    });
    await rm(traceDir, { recursive: true, force: true });
  });

  it('works as a library over another RunStore (MemoryRunStore)', async () => {
    const gate = createGate();
    const store = new MemoryRunStore();
    const runtime = await createRuntimeServer({
      toolRegistry: createToolRegistry({ domains: [gate.domain] }),
      store,
      logger: silentLogger,
    });
    const { createServer } = await import('node:http');
    const http = createServer(runtime.app);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const status = await createRun(url, { input: { goal: 'What is (2*21)?' } }, { wait: 10 });
    expect(status.state).toBe('succeeded');
    expect((await store.readResult(status.run_id))?.ok).toBe(true);
    expect(store.traceOf(status.run_id).map((e) => e.type)).toContain('flow_completed');
    await runtime.close();
    await new Promise((resolve) => http.close(resolve));
  });
});
