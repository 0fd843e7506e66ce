import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { validateRunList, type RunEvent } from '@arp-ts/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  cancelRun,
  createRun,
  expectOk,
  getResult,
  getStatus,
  waitForStatus,
} from './helpers/http.js';
import { ensureBuilt, spawnServer, type ServerProcess } from './helpers/process.js';
import { tempDir } from './helpers/server.js';
import { readAllEvents } from './helpers/sse.js';

/**
 * The tests start real server processes: about a second each on an idle machine, ten and more
 * when every package's tests share two cores. Their deadlines leave room for that.
 */
const PROCESS_TEST_MS = 120_000;
const SLOW_MS = 60_000;
/** Prefer: wait for runs of a freshly started process (60 s, the server's cap). */
const WAIT_S = 60;

async function until(predicate: () => Promise<boolean>, timeoutMs = SLOW_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('restart recovery with a real server process', { timeout: PROCESS_TEST_MS }, () => {
  let traceDir: string;
  const processes: ServerProcess[] = [];
  beforeAll(async () => {
    ensureBuilt();
    traceDir = await tempDir();
  }, PROCESS_TEST_MS);
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await rm(traceDir, { recursive: true, force: true });
  });

  it('serves finished runs, requeues queued runs and fails interrupted runs after SIGKILL', async () => {
    const first = await spawnServer({ TRACE_DIR: traceDir, BLOCK: '1', MAX_CONCURRENT: '1' });
    processes.push(first);
    const url1 = first.url;
    const succeeded = await createRun(
      url1,
      { run_id: 'r-succeeded', input: { goal: 'What is (2+3)?' } },
      { wait: WAIT_S },
    );
    expect(succeeded.state).toBe('succeeded');
    const failed = await createRun(
      url1,
      { run_id: 'r-failed', input: { goal: 'say a and say b' }, limits: { max_steps: 1 } },
      { wait: WAIT_S },
    );
    expect(failed.state).toBe('failed');
    const eventsBefore = await readAllEvents(`${url1}/v1/runs/r-succeeded/events`);

    const running = await createRun(url1, { run_id: 'r-running', input: { goal: 'say block-r' } });
    // Wait until the run is inside the blocking tool and its first events reached the disk.
    const eventsFile = path.join(traceDir, 'r-running', 'events.jsonl');
    await until(
      async () =>
        existsSync(eventsFile) && (await readFile(eventsFile, 'utf8')).includes('tool_call'),
    );
    expect((await getStatus(url1, running.run_id)).state).toBe('running');
    const queued = await createRun(url1, { run_id: 'r-queued', input: { goal: 'say queued' } });
    expect(queued.state).toBe('queued');
    const canceled = await createRun(url1, { run_id: 'r-canceled', input: { goal: 'say never' } });
    expect((await cancelRun(url1, canceled.run_id)).status).toBe(200);

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await spawnServer({ TRACE_DIR: traceDir });
    processes.push(second);
    const url2 = second.url;

    // Finished runs are served as they were.
    expect(await getStatus(url2, 'r-succeeded')).toEqual(succeeded);
    expect((await getResult(url2, 'r-succeeded')).output?.final_text).toContain('5');
    expect(await readAllEvents(`${url2}/v1/runs/r-succeeded/events`)).toEqual(eventsBefore);
    expect((await getStatus(url2, 'r-failed')).state).toBe('failed');
    expect((await getResult(url2, 'r-failed')).error?.code).toBe('limits.max_steps_exceeded');
    expect((await getStatus(url2, 'r-canceled')).state).toBe('canceled');

    // The running run ends failed with runtime.interrupted (retryable), its stream closed properly.
    const interrupted = await getStatus(url2, 'r-running');
    expect(interrupted.state).toBe('failed');
    expect(interrupted.ended_at).toBeDefined();
    const interruptedResult = await getResult(url2, 'r-running');
    expect(interruptedResult.error).toMatchObject({ code: 'runtime.interrupted', retryable: true });
    const runningEvents: RunEvent[] = await readAllEvents(`${url2}/v1/runs/r-running/events`);
    expect(runningEvents.map((e) => e.seq)).toEqual(runningEvents.map((_, i) => i));
    expect(runningEvents.some((e) => e.type === 'tool_call')).toBe(true);
    expect(runningEvents.at(-1)).toMatchObject({
      type: 'error',
      data: { error: { code: 'runtime.interrupted' } },
    });

    // The queued run was queued again and now runs to its end.
    await waitForStatus(url2, 'r-queued', (s) => s.state === 'succeeded', SLOW_MS);
    expect((await getResult(url2, 'r-queued')).output?.final_text).toContain('queued');

    const list = expectOk(await call(url2, '/v1/runs'), validateRunList);
    expect(list.runs.map((r) => r.run_id)).toEqual([
      'r-canceled',
      'r-queued',
      'r-running',
      'r-failed',
      'r-succeeded',
    ]);

    // SIGTERM: graceful shutdown, exit code 0.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('on SIGTERM cancels runs that outlive the grace period, writes their state and exits 0', async () => {
    const dir = await tempDir();
    const server = await spawnServer({ TRACE_DIR: dir, BLOCK: '1', GRACE_MS: '200' });
    processes.push(server);
    const run = await createRun(server.url, { input: { goal: 'say block-term' } });
    await waitForStatus(server.url, run.run_id, (s) => s.state === 'running', SLOW_MS);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const status = JSON.parse(
      await readFile(path.join(dir, run.run_id, 'status.json'), 'utf8'),
    ) as {
      state: string;
    };
    expect(status.state).toBe('canceled');
    const result = JSON.parse(
      await readFile(path.join(dir, run.run_id, 'result.json'), 'utf8'),
    ) as {
      error: { code: string };
    };
    expect(result.error.code).toBe('run.canceled');
    await rm(dir, { recursive: true, force: true });
  });
});
