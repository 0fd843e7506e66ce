// A real runtime cluster (test/fixtures/cluster.mjs, from dist): the primary and two shard
// workers sharing one public port. Connections land on either worker; every answer must be the
// same as one runtime's. A killed worker is replaced and its shard's runs recovered.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import {
  validateErrorEnvelope,
  validateRunEvent,
  validateRunList,
  validateRunResult,
  validateRunStatus,
  type RunEvent,
  type RunStatus,
  type Validator,
} from '@arp-ts/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../src/index.js';
import { ensureBuilt, spawnCluster, type ClusterProcess } from './helpers/process.js';
import { tempDir } from './helpers/server.js';

/** Real processes: seconds each on a busy CI machine; the deadlines only bound a hung test. */
const PROCESS_TEST_MS = 120_000;
const SLOW_MS = 60_000;

interface FreshAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One request over a connection of its own (`Connection: close`), so the cluster hands each to
 * a worker afresh, as it does with clients that do not keep connections alive.
 */
function fresh(
  baseUrl: string,
  pathAndQuery: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<FreshAnswer> {
  return new Promise((resolve, reject) => {
    const body = init.json === undefined ? undefined : JSON.stringify(init.json);
    const req = request(new URL(pathAndQuery, baseUrl), {
      method: init.method ?? 'GET',
      agent: false,
      headers: {
        connection: 'close',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...init.headers,
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function ok<T>(answer: FreshAnswer, validator: Validator<T>): T {
  expect(answer.status, answer.text).toBe(200);
  const checked = validator(JSON.parse(answer.text));
  if (!checked.ok) throw new Error(`invalid body: ${answer.text}`);
  return checked.value;
}

function sseEvents(answer: FreshAnswer): RunEvent[] {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers['content-type']).toBe('text/event-stream');
  return answer.text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => {
      const checked = validateRunEvent(JSON.parse(line.slice(5)));
      if (!checked.ok) throw new Error(`not a RunEvent: ${line}`);
      return checked.value;
    });
}

async function createFresh(url: string, goal: string, wait?: number): Promise<RunStatus> {
  const headers: Record<string, string> = wait === undefined ? {} : { prefer: `wait=${wait}` };
  return ok(
    await fresh(url, '/v1/runs', { method: 'POST', json: { input: { goal } }, headers }),
    validateRunStatus,
  );
}

/** The status of a run through fresh connections, once its owner answers and `done` holds. */
async function settledStatus(
  url: string,
  runId: string,
  done: (status: RunStatus) => boolean,
): Promise<RunStatus> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    const answer = await fresh(url, `/v1/runs/${runId}`);
    if (answer.status === 200) {
      const status = ok(answer, validateRunStatus);
      if (done(status)) return status;
    } else {
      // Only while the owner is away: the retryable 503 of the shard that cannot answer.
      expect(answer.status, answer.text).toBe(503);
      const envelope = validateErrorEnvelope(JSON.parse(answer.text));
      expect(envelope.ok && envelope.value.error.code).toBe('runtime.shard_unavailable');
      expect(answer.headers['retry-after']).toBe('1');
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} never settled: ${answer.text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe('a runtime cluster of two worker processes', { timeout: PROCESS_TEST_MS }, () => {
  const dirs: string[] = [];
  const clusters: ClusterProcess[] = [];
  beforeAll(() => ensureBuilt(), PROCESS_TEST_MS);
  afterAll(async () => {
    for (const c of clusters) {
      for (const pid of [c.child.pid ?? -1, ...c.pids()])
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function start(env: Record<string, string> = {}): Promise<ClusterProcess> {
    const dir = await tempDir('arp-runtime-cluster-');
    dirs.push(dir);
    const cluster = await spawnCluster({ WORKERS: '2', TRACE_DIR: dir, ...env });
    clusters.push(cluster);
    expect(cluster.pids()).toHaveLength(2);
    return cluster;
  }

  it('serves runs on both shards to fresh connections, lists and counts them all, stops on SIGTERM', async () => {
    const cluster = await start();
    const { url } = cluster;
    const created: RunStatus[] = [];
    for (let i = 0; i < 8; i++) created.push(await createFresh(url, `What is (${i}+1)?`, 60));
    expect(created.every((s) => s.state === 'succeeded')).toBe(true);
    // Connections go to the workers in turn, and each worker mints ids of its own shard.
    expect(new Set(created.map((s) => shardOf(s.run_id, 2)))).toEqual(new Set([0, 1]));

    for (const [i, run] of created.entries()) {
      expect(ok(await fresh(url, `/v1/runs/${run.run_id}`), validateRunStatus)).toEqual(run);
      const result = ok(await fresh(url, `/v1/runs/${run.run_id}/result`), validateRunResult);
      expect(result.ok).toBe(true);
      expect(JSON.stringify(result.output)).toContain(String(i + 1));
      const events = sseEvents(await fresh(url, `/v1/runs/${run.run_id}/events`));
      expect(events.map((e) => e.seq)).toEqual(events.map((_, n) => n));
      expect(events.at(-1)?.type).toBe('final');
    }

    const ids = created.map((s) => s.run_id);
    for (let i = 0; i < 2; i++) {
      const list = ok(await fresh(url, '/v1/runs?page_size=100'), validateRunList);
      expect(list.runs.map((r) => r.run_id).sort()).toEqual([...ids].sort());
      const metrics = await fresh(url, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metricValue(metrics.text, 'arp_runs_total{state="succeeded"}')).toBe(ids.length);
    }

    const pids = cluster.pids();
    cluster.child.kill('SIGTERM');
    expect(await cluster.exited).toBe(0);
    for (const pid of pids) expect(isAlive(pid), `worker ${pid}`).toBe(false);
  });

  it('fails to start, exit 1 with the reason, when a worker cannot start', async () => {
    const dir = await tempDir('arp-runtime-cluster-');
    dirs.push(dir);
    // A trace dir that is a file: every worker's store fails to open.
    const file = path.join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    await expect(spawnCluster({ WORKERS: '2', TRACE_DIR: file })).rejects.toThrow(
      /exited \(1\)[\s\S]*shard \d failed to start/,
    );
  });

  it('replaces a killed worker; its shard recovers the interrupted run and takes new runs', async () => {
    const cluster = await start({ BLOCK: '1' });
    const { url } = cluster;
    const before = cluster.pids();
    const blocked = await createFresh(url, 'say block-crash');
    const shard = shardOf(blocked.run_id, 2);
    // Inside the blocking tool, its first events on disk: what the replacement recovers.
    await settledStatus(url, blocked.run_id, (s) => s.state === 'running');
    const dir = dirs.at(-1) ?? '';
    const eventsFile = path.join(dir, blocked.run_id, 'events.jsonl');
    const deadline = Date.now() + SLOW_MS;
    while (!(
      existsSync(eventsFile) && (await readFile(eventsFile, 'utf8')).includes('tool_call')
    )) {
      if (Date.now() > deadline) throw new Error('the blocked run never reached its tool');
      await new Promise((r) => setTimeout(r, 20));
    }

    const killed = before[shard] ?? -1;
    process.kill(killed, 'SIGKILL');
    const after = await cluster.waitForPids((pids) => pids[shard] !== killed);
    expect(after[shard]).not.toBe(killed);
    expect(isAlive(after[shard] ?? -1)).toBe(true);
    // The other shard's worker was not touched.
    expect(after[1 - shard]).toBe(before[1 - shard]);

    const recovered = await settledStatus(url, blocked.run_id, () => true);
    expect(recovered.state).toBe('failed');
    const result = ok(await fresh(url, `/v1/runs/${blocked.run_id}/result`), validateRunResult);
    expect(result.error).toMatchObject({ code: 'runtime.interrupted', retryable: true });
    const events = sseEvents(await fresh(url, `/v1/runs/${blocked.run_id}/events`));
    expect(events.some((e) => e.type === 'tool_call')).toBe(true);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      data: { error: { code: 'runtime.interrupted' } },
    });

    // New runs land on the replacement too, once it takes connections (they alternate between
    // the workers that listen).
    const next: RunStatus[] = [];
    const until = Date.now() + SLOW_MS;
    while (!next.some((s) => shardOf(s.run_id, 2) === shard) && Date.now() < until) {
      next.push(await createFresh(url, `What is (${next.length}*2)?`, 60));
    }
    expect(next.some((s) => shardOf(s.run_id, 2) === shard)).toBe(true);
    expect(next.every((s) => s.state === 'succeeded')).toBe(true);

    cluster.child.kill('SIGTERM');
    expect(await cluster.exited).toBe(0);
    for (const pid of cluster.pids()) expect(isAlive(pid), `worker ${pid}`).toBe(false);
  });
});
