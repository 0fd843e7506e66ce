import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateTraceEvent, type RunEvent } from '@arp-ts/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FileRunStore } from '../src/index.js';
import { MemoryRunStore, type RunRecord, type RunStore } from '../src/index.js';
import { LatestWinsWriter } from '../src/store/latest-wins-writer.js';
import { writeFileAtomic } from '../src/store/pool-writer.js';
import { closeFileStore, openFileStore, WRITERS } from './helpers/file-store.js';
import { tempDir } from './helpers/server.js';

const record = (runId: string, state: RunRecord['status']['state'], owner?: string): RunRecord => ({
  status: { run_id: runId, state },
  createdAt: '2026-01-02T03:04:05.000Z',
  ...(owner ? { owner } : {}),
});

const event = (runId: string, seq: number, type: RunEvent['type'] = 'step'): RunEvent => ({
  run_id: runId,
  seq,
  type,
  time: '2026-01-02T03:04:05.000Z',
  data: { n: seq },
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe.each(WRITERS)('FileRunStore (%s writer)', (writer) => {
  let dir: string;
  let store: FileRunStore;
  beforeEach(async () => {
    ({ dir, store } = await openFileStore(writer));
  });
  afterEach(() => closeFileStore({ dir, store }));

  it(`writes through the ${writer} writer`, () => {
    expect(store.writer.kind).toBe(writer);
  });

  it('accepts a run with one request.json that recovery reads back as queued, owner and all', async () => {
    await store.createRun(record('r1', 'queued', 'alice'), {
      input: { goal: 'g' },
      extensions: { 'com.example.x': 1 },
    });
    expect(await readdir(path.join(dir, 'r1'))).toEqual(['request.json']);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'r1', 'request.json'), 'utf8')) as {
      run_id: string;
    };
    expect(onDisk.run_id).toBe('r1');
    expect(await store.loadRecords()).toEqual([record('r1', 'queued', 'alice')]);
    expect(await store.readRequest('r1')).toEqual({
      run_id: 'r1',
      input: { goal: 'g' },
      extensions: { 'com.example.x': 1 },
    });
  });

  it('prefers status.json once written, and keeps foreign extensions', async () => {
    await store.createRun(record('r2', 'queued'), { input: { goal: 'g' } });
    const done: RunRecord = {
      ...record('r2', 'succeeded', 'bob'),
      status: {
        run_id: 'r2',
        state: 'succeeded',
        started_at: '2026-01-02T03:04:06.000Z',
        ended_at: '2026-01-02T03:04:07.000Z',
        extensions: { 'com.example.y': true },
      },
    };
    await store.saveRecord(done);
    expect(await store.loadRecords()).toEqual([done]);
  });

  it('coalesces concurrent status writes to the newest, and every caller sees it written', async () => {
    await store.createRun(record('r3', 'queued'), { input: { goal: 'g' } });
    const submit = vi.spyOn(store.writer, 'submit');
    const states = ['running', 'running', 'running', 'succeeded'] as const;
    await Promise.all(states.map((state) => store.saveRecord(record('r3', state))));
    const [loaded] = await store.loadRecords();
    expect(loaded?.status.state).toBe('succeeded');
    // The first version went out at once; the three saved while it was in flight became one.
    const statusWrites = submit.mock.calls.filter(([op]) => op.kind === 'writeAtomic');
    expect(statusWrites).toHaveLength(2);
    // No temp files are left behind.
    expect((await readdir(path.join(dir, 'r3'))).sort()).toEqual(['request.json', 'status.json']);
  });

  it('skips unreadable runs and names that are not run ids when loading', async () => {
    await store.createRun(record('good', 'queued'), { input: { goal: 'g' } });
    await mkdir(path.join(dir, 'bad name'));
    await writeFile(
      path.join(dir, 'bad name', 'status.json'),
      JSON.stringify(record('bad name', 'queued').status),
    );
    await mkdir(path.join(dir, 'corrupt'));
    await writeFile(path.join(dir, 'corrupt', 'status.json'), '{"run_id": "corr');
    await mkdir(path.join(dir, 'mismatch'));
    await writeFile(
      path.join(dir, 'mismatch', 'status.json'),
      JSON.stringify({ run_id: 'other', state: 'queued' }),
    );
    await writeFile(path.join(dir, 'a-file'), 'x');
    expect((await store.loadRecords()).map((r) => r.status.run_id)).toEqual(['good']);
  });

  it('round-trips results; a missing or invalid result reads as undefined', async () => {
    await store.createRun(record('r4', 'queued'), { input: { goal: 'g' } });
    expect(await store.readResult('r4')).toBeUndefined();
    await store.saveResult({ run_id: 'r4', ok: true, output: { final_text: 'hi' } });
    expect(await store.readResult('r4')).toEqual({
      run_id: 'r4',
      ok: true,
      output: { final_text: 'hi' },
    });
    await writeFile(path.join(dir, 'r4', 'result.json'), '{"ok": "yes"}');
    expect(await store.readResult('r4')).toBeUndefined();
  });

  it('appends events and trace through one buffered log per run, in order', async () => {
    await store.createRun(record('r5', 'queued'), { input: { goal: 'g' } });
    const log = store.openLog('r5');
    for (let seq = 0; seq < 50; seq++) {
      log.appendEvent(event('r5', seq));
      log.appendTrace({
        run_id: 'r5',
        seq,
        time: '2026-01-02T03:04:05.000Z',
        level: 'info',
        type: 't',
      });
      if (seq % 10 === 0) await new Promise((r) => setImmediate(r));
    }
    await log.flush();
    expect((await collect(store.readEvents('r5'))).map((e) => e.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    await log.close();
    log.appendEvent(event('r5', 50)); // after close: dropped
    await new Promise((r) => setImmediate(r));
    expect(await collect(store.readEvents('r5', 44))).toHaveLength(5);
    const trace = (await readFile(path.join(dir, 'r5', 'trace.jsonl'), 'utf8')).trim().split('\n');
    expect(trace).toHaveLength(50);
    expect(trace.every((line) => validateTraceEvent(JSON.parse(line)).ok)).toBe(true);
  });

  it('keeps no descriptor of a log open after close(), however many turns it was written in', async () => {
    await store.createRun(record('fd', 'queued'), { input: { goal: 'g' } });
    const file = path.join(dir, 'fd', 'events.jsonl');
    // Descriptors of the whole process: the writer thread's are among them.
    const openOnLog = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false; // closed meanwhile
        }
      }).length;
    const log = store.openLog('fd');
    for (let seq = 0; seq < 3; seq++) {
      log.appendEvent(event('fd', seq));
      await log.flush();
    }
    expect(openOnLog()).toBe(1); // kept open between chunks
    await log.close();
    expect(openOnLog()).toBe(0);
    expect((await collect(store.readEvents('fd'))).map((e) => e.seq)).toEqual([0, 1, 2]);
  });

  it('reads around a cut-short last line and appends after it on a fresh line', async () => {
    await store.createRun(record('r6', 'queued'), { input: { goal: 'g' } });
    const file = path.join(dir, 'r6', 'events.jsonl');
    await writeFile(file, JSON.stringify(event('r6', 0)) + '\n' + '{"run_id":"r6","se');
    expect((await collect(store.readEvents('r6'))).map((e) => e.seq)).toEqual([0]);
    await store.appendEvents('r6', [event('r6', 1, 'error')]);
    expect((await collect(store.readEvents('r6'))).map((e) => e.seq)).toEqual([0, 1]);
    await store.resetLogs('r6');
    expect(await collect(store.readEvents('r6'))).toEqual([]);
  });

  it('probes writability, and fails the probe when the trace dir is gone', async () => {
    await expect(store.probe()).resolves.toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
    await rm(dir, { recursive: true });
    await expect(store.probe()).rejects.toThrow();
  });

  it('points traces at file URLs inside the run directory', () => {
    expect(store.traceUri('r7')).toBe(`file://${path.join(dir, 'r7', 'trace.jsonl')}`);
  });
});

describe('LatestWinsWriter', () => {
  it('writes the last of many queued versions and resolves every caller', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'f.json');
    let idle = 0;
    const writer = new LatestWinsWriter(
      (data) => writeFileAtomic(file, data),
      () => idle++,
    );
    const writes = Array.from({ length: 20 }, (_, i) => writer.write(String(i)));
    await Promise.all(writes);
    expect(await readFile(file, 'utf8')).toBe('19');
    expect(idle).toBe(1);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('MemoryRunStore', () => {
  it('keeps runs, results, events and traces in memory', async () => {
    const store: RunStore = new MemoryRunStore();
    await store.createRun(record('m1', 'queued'), { input: { goal: 'g' } });
    const log = store.openLog('m1');
    log.appendEvent(event('m1', 0));
    log.appendEvent(event('m1', 1, 'final'));
    await log.close();
    await store.saveResult({ run_id: 'm1', ok: true });
    await store.saveRecord(record('m1', 'succeeded'));
    expect((await store.loadRecords())[0]?.status.state).toBe('succeeded');
    expect(await store.readResult('m1')).toEqual({ run_id: 'm1', ok: true });
    expect((await collect(store.readEvents('m1', 0))).map((e) => e.type)).toEqual(['final']);
  });
});
