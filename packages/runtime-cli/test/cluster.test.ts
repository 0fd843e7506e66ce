import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { shardOf } from '@arp-ts/runtime-server';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, startCli, tempDir, type LongRunning } from './helpers/cli-process.js';
import { freshRequest } from './helpers/fresh-http.js';

const tmp = tempDir('arp-cli-cluster-');
afterAll(() => tmp.remove());

const started: LongRunning[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop('SIGKILL')));
});

interface RunStatusBody {
  run_id: string;
  state: string;
}

interface RunResultBody {
  run_id: string;
  ok: boolean;
  output?: { final_text?: string };
}

/** The worker pids the primary logs once the cluster is up (LOG_LEVEL=info). */
async function workerPids(server: LongRunning): Promise<number[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const line of server.output().stderr.split('\n')) {
      if (!line.includes('"runtime cluster listening"')) continue;
      const { pids } = JSON.parse(line) as { pids: number[] };
      return pids;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no worker pids logged:\n${server.output().stderr}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

describe('arp-runtime serve --workers', () => {
  it('serves runs from 2 workers, readable over any connection, and stops them all on SIGTERM', async () => {
    const server = await startCli(
      ['serve', '--workers', '2', '--port', '0', '--trace-dir', path.join(tmp.dir, 'runs')],
      { env: cleanEnv({ LOG_LEVEL: 'info' }) },
    );
    started.push(server);
    expect(server.output().stdout).toMatch(
      /^ARP Runtime listening on http:\/\/127\.0\.0\.1:\d+ \(2 workers\)\n$/,
    );
    const pids = await workerPids(server);
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(server.child.pid);
    expect(pids.every(isAlive)).toBe(true);

    // Each run is created on a connection of its own, so the cluster spreads them over workers.
    const factors = [
      [19, 23],
      [2, 3],
      [4, 5],
      [6, 7],
      [8, 9],
      [11, 12],
    ] as const;
    const runs: { runId: string; answer: string }[] = [];
    for (const [a, b] of factors) {
      const created = await freshRequest(`${server.url}/v1/runs`, {
        method: 'POST',
        headers: { prefer: 'wait=60' },
        body: { input: { goal: `What is (${a}*${b})?` } },
      });
      expect(created.status).toBe(200);
      const status = created.body as RunStatusBody;
      expect(status.state).toBe('succeeded');
      runs.push({ runId: status.run_id, answer: `${a}*${b} = ${a * b}` });
    }
    expect(runs[0]?.answer).toBe('19*23 = 437');

    // Each worker mints ids of its own shard: runs of both shards mean both workers took runs.
    expect(new Set(runs.map((run) => shardOf(run.runId, 2)))).toEqual(new Set([0, 1]));

    // Each resource twice in a row, on fresh connections: the workers take connections in turn,
    // so every run is read from the worker that owns it and from one that relays to it.
    for (const { runId, answer } of runs) {
      for (let read = 0; read < 2; read++) {
        const status = await freshRequest(`${server.url}/v1/runs/${runId}`);
        expect(status.status).toBe(200);
        expect(status.body).toMatchObject({ run_id: runId, state: 'succeeded' });
      }
      for (let read = 0; read < 2; read++) {
        const result = await freshRequest(`${server.url}/v1/runs/${runId}/result`);
        expect(result.status).toBe(200);
        const body = result.body as RunResultBody;
        expect(body).toMatchObject({ run_id: runId, ok: true });
        expect(body.output?.final_text).toBe(answer);
      }
    }

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    // The banner came from the primary only.
    expect(server.output().stdout.match(/listening on/g)).toHaveLength(1);
  });

  it('exits 1 with one short error when the workers cannot start', async () => {
    const file = path.join(tmp.dir, 'not-a-dir');
    writeFileSync(file, '');
    const { code, stdout, stderr } = await runCli([
      'serve',
      '--workers',
      '2',
      '--port',
      '0',
      '--trace-dir',
      path.join(file, 'runs'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const errors = stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: the runtime workers did not start: shard \d .*ENOTDIR/);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects a bad --workers before starting anything (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['serve', '--workers', '65', '--port', '0']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: --workers must be an integer from 1 to 64 or auto (got "65")\n');
  });
});
