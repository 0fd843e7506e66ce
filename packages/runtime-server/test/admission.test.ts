// When a run's request reaches the store decides when the client hears of it. With a store that
// writes in order the run starts before its request is on disk, so these check what a client
// relies on: no answer before the request is stored, and a run whose request cannot be stored
// is refused (500) and leaves nothing behind, in memory or on disk.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateErrorEnvelope, type RunRequest, type RunResult } from '@arp-ts/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRunStore, type RunRecord } from '../src/index.js';
import { call, createRun, getStatus } from './helpers/http.js';
import { startTestServer, tempDir, type TestServer } from './helpers/server.js';

/** A memory store (in order) whose createRun fails for goals that say "unstorable". */
class FailingStore extends MemoryRunStore {
  readonly ended: string[] = [];
  constructor(readonly inOrder: boolean) {
    super();
  }
  override get writesInOrder(): boolean {
    return this.inOrder;
  }
  override async createRun(record: RunRecord, request: RunRequest): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (request.input.goal.includes('unstorable')) throw new Error('disk full');
    await super.createRun(record, request);
  }
  override async saveResult(result: RunResult): Promise<void> {
    this.ended.push(result.run_id);
    await super.saveResult(result);
  }
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('admission of a run', () => {
  it('answers only once request.json is on disk (writer thread: the run may already have ended)', async () => {
    server = await startTestServer();
    for (let i = 0; i < 20; i++) {
      const status = await createRun(server.url, { input: { goal: 'What is (19*23)?' } });
      expect(['queued', 'running']).toContain(status.state);
      expect(existsSync(path.join(server.traceDir, status.run_id, 'request.json'))).toBe(true);
    }
  });

  for (const inOrder of [true, false]) {
    it(`refuses a run whose request cannot be stored and forgets it (writesInOrder: ${inOrder})`, async () => {
      const store = new FailingStore(inOrder);
      server = await startTestServer({ store });
      const answer = await call(server.url, '/v1/runs', {
        method: 'POST',
        json: { run_id: 'lost-1', input: { goal: 'What is (2+2)? unstorable' } },
        headers: { prefer: 'wait=5' },
      });
      expect(answer.status).toBe(500);
      expect(validateErrorEnvelope(answer.body).ok).toBe(true);
      expect(answer.body).toMatchObject({ error: { code: 'runtime.internal_error' } });
      const after = await call(server.url, '/v1/runs/lost-1');
      expect(after.status).toBe(404);
      // In order, the run started before its request failed (and may have ended); otherwise it
      // never started. Either way a restart finds nothing of it.
      if (!inOrder) expect(store.ended).not.toContain('lost-1');
      expect(await store.loadRecords()).toEqual([]);
      // The id is free again, and the server works.
      const retry = await createRun(
        server.url,
        { run_id: 'lost-1', input: { goal: 'What is (2+2)?' } },
        { wait: 5 },
      );
      expect(retry.state).toBe('succeeded');
      expect((await getStatus(server.url, 'lost-1')).state).toBe('succeeded');
    });
  }
});

describe('admission with the file store', () => {
  it('refuses a run whose directory cannot be made, and a restart does not find it', async () => {
    const traceDir = await tempDir();
    server = await startTestServer({ traceDir });
    // A file where the run's directory would go: mkdir and every later write of the run fail.
    await writeFile(path.join(traceDir, 'taken'), 'not a directory');
    const answer = await call(server.url, '/v1/runs', {
      method: 'POST',
      json: { run_id: 'taken', input: { goal: 'What is (2+2)?' } },
      headers: { prefer: 'wait=5' },
    });
    expect(answer.status).toBe(500);
    expect((await call(server.url, '/v1/runs/taken')).status).toBe(404);
    await server.close();
    server = await startTestServer({ traceDir });
    expect((await call(server.url, '/v1/runs/taken')).status).toBe(404);
    expect(await readFile(path.join(traceDir, 'taken'), 'utf8')).toBe('not a directory');
    await server.close();
    server = undefined;
    await rm(traceDir, { recursive: true, force: true });
  });
});
