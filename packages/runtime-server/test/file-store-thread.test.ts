// The writer thread's life: a thread killed mid-batch, a thread that cannot start, and a process
// that ends on its own while the thread idles.
import { execFileSync, spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunEvent, RunResult } from '@arp-ts/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileRunStore, type RunRecord } from '../src/index.js';
import { ThreadWriter, WRITER_STOPPED } from '../src/store/thread-writer.js';
import { ensureBuilt } from './helpers/process.js';
import { tempDir } from './helpers/server.js';

const record = (runId: string): RunRecord => ({
  status: { run_id: runId, state: 'queued' },
  createdAt: '2026-01-02T03:04:05.000Z',
});

const result = (runId: string): RunResult => ({ run_id: runId, ok: true });

const event = (runId: string, seq: number): RunEvent => ({
  run_id: runId,
  seq,
  type: 'step',
  time: '2026-01-02T03:04:05.000Z',
});

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function threadOf(store: FileRunStore) {
  if (!(store.writer instanceof ThreadWriter)) throw new Error('not a thread writer');
  const thread = store.writer.thread;
  if (!thread) throw new Error('the writer thread is not running');
  return thread;
}

describe('FileRunStore writer thread', () => {
  let dir: string;
  let store: FileRunStore | undefined;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('fails the writes of a killed thread, reports it once, and writes later ones through the pool', async () => {
    const reported: { err: unknown; context: { runId?: string; file: string } }[] = [];
    store = new FileRunStore({
      traceDir: dir,
      onError: (err, context) => reported.push({ err, context }),
    });
    await store.init();
    await store.createRun(record('k1'), { input: { goal: 'g' } });
    const thread = threadOf(store);

    // Opening a FIFO for writing blocks until a reader comes: the thread is stuck in this batch.
    const fifo = path.join(dir, 'blocker.fifo');
    execFileSync('mkfifo', [fifo]);
    const outcomes = Promise.allSettled([
      store.writer.submit({ kind: 'append', path: fifo, data: 'x' }),
      store.saveResult(result('k1')),
    ]);
    await turn(); // the batch went out
    const terminated = thread.terminate();
    // A reader lets the blocked open return; the thread is terminated before it can answer.
    const reader = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    await terminated;
    await reader.close();

    for (const outcome of await outcomes) {
      expect(outcome.status).toBe('rejected');
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(Error);
        expect(outcome.reason).toMatchObject({ code: WRITER_STOPPED });
        expect(String((outcome.reason as Error).message)).toMatch(/writer thread stopped/);
      }
    }
    expect(store.writer.kind).toBe('pool');
    expect(reported).toHaveLength(1);
    expect(reported[0]?.context.runId).toBeUndefined();
    expect(reported[0]?.context.file).toMatch(/writer-thread\.mjs$/);

    // Later writes land, through the pool.
    await store.saveResult(result('k1'));
    await store.saveRecord({ ...record('k1'), status: { run_id: 'k1', state: 'succeeded' } });
    const log = store.openLog('k1');
    log.appendEvent(event('k1', 0));
    await log.close();
    expect(await store.readResult('k1')).toEqual(result('k1'));
    expect((await store.loadRecords())[0]?.status.state).toBe('succeeded');
    expect(await readFile(path.join(dir, 'k1', 'events.jsonl'), 'utf8')).toBe(
      JSON.stringify(event('k1', 0)) + '\n',
    );
    expect(reported).toHaveLength(1);
  });

  it('replays the writes of a thread that could not start on the pool, in order', async () => {
    const fallbacks: Error[] = [];
    const writer = new ThreadWriter({
      threadFile: new URL('./fixtures/broken-writer-thread.mjs', import.meta.url),
      onFallback: (err) => fallbacks.push(err),
    });
    const sub = path.join(dir, 'sub');
    // The directory must exist before the file is written: the order survives the replay.
    await writer.sequence([
      { kind: 'mkdir', path: sub },
      { kind: 'writeAtomic', path: path.join(sub, 'a.json'), data: '1' },
      { kind: 'append', path: path.join(sub, 'a.jsonl'), data: 'line\n', keepOpen: true },
    ]);
    expect(await readFile(path.join(sub, 'a.json'), 'utf8')).toBe('1');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]?.message).toMatch(/cannot start/);
    expect(writer.kind).toBe('pool');
    await writer.close();
    expect(await readFile(path.join(sub, 'a.jsonl'), 'utf8')).toBe('line\n');
  });

  it('runs every write in submission order across runs and kinds', async () => {
    const writer = new ThreadWriter();
    const file = path.join(dir, 'order.txt');
    const ops = Array.from({ length: 200 }, (_, i) =>
      i % 50 === 49
        ? writer.submit({ kind: 'writeAtomic', path: file, data: `reset ${i}\n` })
        : writer.submit({ kind: 'append', path: file, data: `${i}\n`, keepOpen: i % 2 === 0 }),
    );
    await Promise.all(ops);
    // The last writeAtomic (199) replaced everything before it; nothing appended after it.
    expect(await readFile(file, 'utf8')).toBe('reset 199\n');
    await writer.close();
  });

  it('lets a process end on its own while the thread idles, after its pending writes', async () => {
    ensureBuilt();
    const script = fileURLToPath(new URL('./fixtures/store-idle-exit.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, TRACE_DIR: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    // Only for a process that never ends: starting it takes seconds on a loaded machine.
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | string>((resolve) =>
      child.once('exit', (c, signal) => resolve(c ?? signal ?? -1)),
    );
    clearTimeout(timer);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(existsSync(path.join(dir, 'idle', 'request.json'))).toBe(true);
    expect(JSON.parse(await readFile(path.join(dir, 'idle', 'result.json'), 'utf8'))).toEqual({
      run_id: 'idle',
      ok: true,
      output: { final_text: 'written' },
    });
  }, 120_000);
});
