// When the file store writes a run's log lines: within logFlushMs while the run goes on, at once
// past 64 KiB of buffered text, and all of them when the log closes (a short run writes each log
// once).
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TraceEvent } from '@arp-ts/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileRunStore } from '../src/index.js';
import type { WriteOp } from '../src/store/write-ops.js';
import { startTestServer, tempDir } from './helpers/server.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const traceEvent = (runId: string, seq: number, text = ''): TraceEvent => ({
  run_id: runId,
  seq,
  time: '2026-01-02T03:04:05.000Z',
  level: 'info',
  type: 'note',
  data: { text },
});

async function readLines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

async function waitForLines(file: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lines = await readLines(file);
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let dir: string | undefined;
let store: FileRunStore | undefined;

async function openStore(logFlushMs?: number): Promise<FileRunStore> {
  dir = await tempDir();
  store = new FileRunStore({ traceDir: dir, ...(logFlushMs === undefined ? {} : { logFlushMs }) });
  await store.init();
  await store.createRun(
    { status: { run_id: 'r1', state: 'running' }, createdAt: '2026-01-02T03:04:05.000Z' },
    { input: { goal: 'g' } },
  );
  return store;
}

afterEach(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  store = undefined;
  dir = undefined;
});

describe('FileRunStore log flushing', () => {
  it('writes a log once when it closes, however many turns its lines came in', async () => {
    const s = await openStore(60_000);
    const appends: WriteOp[] = [];
    const submit = s.writer.submit.bind(s.writer);
    vi.spyOn(s.writer, 'submit').mockImplementation((op: WriteOp) => {
      if (op.kind === 'append') appends.push(op);
      return submit(op);
    });
    const log = s.openLog('r1');
    for (let seq = 0; seq < 5; seq++) {
      log.appendTrace(traceEvent('r1', seq));
      await turn();
    }
    expect(appends).toEqual([]);
    await log.close();
    expect(appends.map((op) => path.basename('path' in op ? op.path : ''))).toEqual([
      'trace.jsonl',
    ]);
    const lines = await readLines(s.runFile('r1', 'trace.jsonl'));
    expect(lines.map((line) => (JSON.parse(line) as TraceEvent).seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('writes the lines of a run that goes on within logFlushMs', async () => {
    const s = await openStore(10);
    const log = s.openLog('r1');
    log.appendTrace(traceEvent('r1', 0));
    log.appendTrace(traceEvent('r1', 1));
    expect(await waitForLines(s.runFile('r1', 'trace.jsonl'), 2)).toHaveLength(2);
    log.appendTrace(traceEvent('r1', 2));
    expect(await waitForLines(s.runFile('r1', 'trace.jsonl'), 3)).toHaveLength(3);
  });

  it('writes at once, without waiting for logFlushMs, once 64 KiB are buffered', async () => {
    const s = await openStore(60_000);
    const log = s.openLog('r1');
    log.appendTrace(traceEvent('r1', 0, 'x'.repeat(40_000)));
    log.appendTrace(traceEvent('r1', 1, 'y'.repeat(40_000)));
    const lines = await waitForLines(s.runFile('r1', 'trace.jsonl'), 2);
    expect(lines).toHaveLength(2);
  });

  it('writes the lines of logs still open when the store closes', async () => {
    const s = await openStore(60_000);
    s.openLog('r1').appendTrace(traceEvent('r1', 0));
    await s.close();
    expect(await readLines(s.runFile('r1', 'trace.jsonl'))).toHaveLength(1);
  });

  it('refuses a logFlushMs that is negative or not a number', () => {
    expect(() => new FileRunStore({ traceDir: '/tmp/x', logFlushMs: -1 })).toThrow(RangeError);
    expect(() => new FileRunStore({ traceDir: '/tmp/x', logFlushMs: Number.NaN })).toThrow(
      RangeError,
    );
  });
});

describe.each(['thread', 'pool'] as const)('a run that ends (%s writer)', (writer) => {
  it('writes its logs before its terminal status, whatever logFlushMs', async () => {
    dir = await tempDir();
    store = new FileRunStore({ traceDir: dir, writer, logFlushMs: 60_000 });
    const ops: string[] = [];
    const s = store;
    const submit = s.writer.submit.bind(s.writer);
    vi.spyOn(s.writer, 'submit').mockImplementation((op: WriteOp) => {
      const file = 'path' in op ? path.basename(op.path) : '';
      const terminal = op.kind === 'writeAtomic' && op.data.includes('"succeeded"');
      ops.push(`${op.kind} ${file}${terminal ? ' (terminal)' : ''}`);
      return submit(op);
    });
    const server = await startTestServer({ store: s, traceDir: dir });
    try {
      const answer = await fetch(`${server.url}/v1/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', prefer: 'wait=30' },
        body: JSON.stringify({ input: { goal: 'What is (19*23)?' } }),
      });
      expect(((await answer.json()) as { state: string }).state).toBe('succeeded');
    } finally {
      await server.close();
    }
    const status = ops.indexOf('writeAtomic status.json (terminal)');
    expect(status).toBeGreaterThan(0);
    expect(ops.lastIndexOf('append events.jsonl')).toBeGreaterThanOrEqual(0);
    expect(ops.lastIndexOf('append events.jsonl')).toBeLessThan(status);
    expect(ops.lastIndexOf('append trace.jsonl')).toBeLessThan(status);
    expect(ops.lastIndexOf('append trace.jsonl')).toBeGreaterThanOrEqual(0);
  });
});
