// The file store's write guarantees, for both writers: order of a run's end, atomic state files,
// fs errors with their codes, close() waiting for every write.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from '@arp-ts/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileRunStore, type RunRecord } from '../src/index.js';
import { closeFileStore, openFileStore, WRITERS } from './helpers/file-store.js';

const record = (runId: string, state: RunRecord['status']['state'], note = ''): RunRecord => ({
  status: { run_id: runId, state, ...(note ? { extensions: { 'com.example.note': note } } : {}) },
  createdAt: '2026-01-02T03:04:05.000Z',
});

const result = (runId: string): RunResult => ({
  run_id: runId,
  ok: true,
  output: { final_text: `done ${runId}` },
});

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.each(WRITERS)('FileRunStore writes (%s writer)', (writer) => {
  let dir: string;
  let store: FileRunStore;
  beforeEach(async () => {
    ({ dir, store } = await openFileStore(writer));
  });
  afterEach(() => closeFileStore({ dir, store }));

  it('never shows a terminal status.json without its result.json', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `end-${i}`);
    await Promise.all(
      ids.map((id) => store.createRun(record(id, 'queued'), { input: { goal: 'g' } })),
    );
    // saveEnd: one batch on the ordered thread writer, result awaited first on the pool.
    const ends = ids.map((id) => store.saveEnd(result(id), record(id, 'succeeded')));
    let done = false;
    const all = Promise.all(ends).finally(() => {
      done = true;
    });
    const violations = new Set<string>();
    // Watch while the writes land: a status seen first must already have its result.
    while (!done) {
      for (const id of ids) {
        if (existsSync(path.join(dir, id, 'status.json'))) {
          if (!existsSync(path.join(dir, id, 'result.json'))) violations.add(id);
        }
      }
      await turn();
    }
    await all;
    expect([...violations]).toEqual([]);
    expect(await store.readResult('end-149')).toEqual(result('end-149'));
  });

  it('replaces status.json atomically: racing readers only ever parse a whole version', async () => {
    await store.createRun(record('atomic', 'queued'), { input: { goal: 'g' } });
    const file = path.join(dir, 'atomic', 'status.json');
    // Large versions, so that a non-atomic write would be seen half-done.
    const big = (i: number) => `${i}:`.padEnd(256 * 1024, String(i % 10));
    await store.saveRecord(record('atomic', 'running', big(0)));
    let writing = true;
    const writes = (async () => {
      for (let i = 1; i <= 40; i++) await store.saveRecord(record('atomic', 'running', big(i)));
      writing = false;
    })();
    const seen = new Set<string>();
    let reads = 0;
    while (writing) {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as {
        extensions: Record<string, string>;
      };
      const note = parsed.extensions['com.example.note'] ?? '';
      expect(note).toHaveLength(256 * 1024);
      seen.add(note.slice(0, note.indexOf(':')));
      reads++;
    }
    await writes;
    expect(reads).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(0);
    expect(readdirSync(path.join(dir, 'atomic')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('rejects createRun with ENOENT when the trace dir was removed', async () => {
    await rm(dir, { recursive: true });
    const err = await store.createRun(record('gone', 'queued'), { input: { goal: 'g' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(existsSync(dir)).toBe(false);
  });

  it('rejects createRun with ENOTDIR when the trace dir became a file, and leaves no temp file', async () => {
    await rm(dir, { recursive: true });
    await writeFile(dir, 'not a directory');
    await expect(
      store.createRun(record('blocked', 'queued'), { input: { goal: 'g' } }),
    ).rejects.toMatchObject({ code: 'ENOTDIR' });
    await rm(dir);
  });

  it('rejects saveResult and saveRecord with ENOENT for a run without a directory', async () => {
    await expect(store.saveResult(result('nowhere'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.saveRecord(record('nowhere', 'failed'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    // The failure is the caller's alone: the next write of the store still lands.
    await store.createRun(record('after', 'queued'), { input: { goal: 'g' } });
    expect(await store.readRequest('after')).toEqual({ run_id: 'after', input: { goal: 'g' } });
  });

  it('reports failed log appends through onError with the run and file, never throwing', async () => {
    await store.close();
    const reported: { code: string | undefined; runId?: string; file: string }[] = [];
    store = new FileRunStore({
      traceDir: dir,
      writer,
      onError: (err, context) =>
        reported.push({ code: (err as NodeJS.ErrnoException).code, ...context }),
    });
    await store.init();
    const log = store.openLog('no-dir'); // no createRun: the run directory does not exist
    log.appendEvent({ run_id: 'no-dir', seq: 0, type: 'step', time: '2026-01-02T03:04:05Z' });
    await log.close();
    expect(reported).toEqual([{ code: 'ENOENT', runId: 'no-dir', file: 'events.jsonl' }]);
  });

  it('close() waits for every write submitted before it', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `c-${i}`);
    await Promise.all(
      ids.map((id) => store.createRun(record(id, 'queued'), { input: { goal: 'g' } })),
    );
    const logs = ids.map((id) => store.openLog(id));
    const pending: Promise<void>[] = [];
    for (const [i, id] of ids.entries()) {
      logs[i]?.appendTrace({
        run_id: id,
        seq: 0,
        time: '2026-01-02T03:04:05Z',
        level: 'info',
        type: 't',
      });
      pending.push(store.saveResult(result(id)), store.saveRecord(record(id, 'succeeded')));
    }
    await store.close();
    // Everything was written by the time close() resolved (read synchronously, no await).
    for (const id of ids) {
      expect(JSON.parse(readFileSync(path.join(dir, id, 'result.json'), 'utf8'))).toEqual(
        result(id),
      );
      expect(readFileSync(path.join(dir, id, 'status.json'), 'utf8')).toContain('"succeeded"');
      expect(readFileSync(path.join(dir, id, 'trace.jsonl'), 'utf8').split('\n')).toHaveLength(2);
    }
    await Promise.all(pending);
    expect((await readdir(path.join(dir, 'c-0'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
