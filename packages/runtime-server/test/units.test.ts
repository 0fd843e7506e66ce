import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunEvent } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { EventHub, type EventFollower } from '../src/events/event-hub.js';
import { parseLastEventId } from '../src/events/sse.js';
import { parsePreferWait } from '../src/http/prefer.js';
import { isSafeRunId, newRunId } from '../src/run-id.js';
import { RunEntry } from '../src/lifecycle/run-entry.js';
import {
  InvalidPageTokenError,
  RunIndex,
  decodePageToken,
  encodePageToken,
} from '../src/lifecycle/run-index.js';
import { WorkPool } from '../src/lifecycle/work-pool.js';
import { FileRunStore } from '../src/store/file-store.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkPool', () => {
  it('runs at most maxConcurrent items, in FIFO order, and refuses beyond the queue', async () => {
    const gates = new Map<number, () => void>();
    const started: number[] = [];
    const pool = new WorkPool<number>({
      maxConcurrent: 2,
      maxQueued: 2,
      work: (n) => {
        started.push(n);
        const d = deferred();
        gates.set(n, d.resolve);
        return d.promise;
      },
    });
    for (let n = 1; n <= 4; n++) {
      expect(pool.reserve()).toBe(true);
      pool.add(n);
    }
    expect(pool.reserve()).toBe(false);
    expect(started).toEqual([1, 2]);
    expect([pool.running, pool.queued]).toEqual([2, 2]);
    expect(pool.remove(4)).toBe(true);
    gates.get(1)?.();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2, 3]);
    expect([pool.running, pool.queued]).toEqual([2, 0]);
    gates.get(2)?.();
    gates.get(3)?.();
    await pool.idle();
    expect(pool.running).toBe(0);
  });

  it('counts reservations so concurrent admissions cannot overshoot; release gives room back', () => {
    const pool = new WorkPool<number>({
      maxConcurrent: 1,
      maxQueued: 1,
      work: () => new Promise(() => undefined),
    });
    expect(pool.reserve()).toBe(true);
    expect(pool.reserve()).toBe(true);
    expect(pool.reserve()).toBe(false);
    pool.release();
    expect(pool.reserve()).toBe(true);
  });

  it('stops starting queued items once paused; enqueue bypasses the limits', async () => {
    const started: number[] = [];
    const pool = new WorkPool<number>({
      maxConcurrent: 1,
      maxQueued: 0,
      work: async (n) => {
        started.push(n);
      },
    });
    pool.enqueue(1);
    pool.enqueue(2);
    pool.pause();
    await pool.idle();
    expect(started).toEqual([1]);
    expect(pool.queued).toBe(1);
  });

  it('reports failing work and goes on', async () => {
    const errors: unknown[] = [];
    const pool = new WorkPool<number>({
      maxConcurrent: 1,
      maxQueued: 5,
      work: (n) => (n === 1 ? Promise.reject(new Error('boom')) : Promise.resolve()),
      onError: (err) => errors.push(err),
    });
    pool.enqueue(1);
    pool.enqueue(2);
    await pool.idle();
    await pool.idle();
    expect(errors).toHaveLength(1);
    expect(pool.queued).toBe(0);
  });
});

const ev = (seq: number, type: RunEvent['type'] = 'step', runId = 'r'): RunEvent => ({
  run_id: runId,
  seq,
  type,
  time: '2026-01-01T00:00:00.000Z',
});

function recorder(): EventFollower & { seqs: number[]; ended: number } {
  const r = {
    seqs: [] as number[],
    ended: 0,
    send: (e: RunEvent) => r.seqs.push(e.seq),
    end: () => {
      r.ended++;
    },
  };
  return r;
}

describe('EventHub', () => {
  it('replays what a live run emitted after the given seq, then follows to the terminal event', () => {
    const hub = new EventHub();
    hub.open('r');
    hub.publish(ev(0));
    hub.publish(ev(1));
    const early = recorder();
    const late = recorder();
    hub.follow('r', -1, early);
    hub.publish(ev(2));
    hub.follow('r', 1, late);
    hub.publish(ev(3, 'final'));
    hub.publish(ev(4)); // after the end: ignored
    expect(early.seqs).toEqual([0, 1, 2, 3]);
    expect(late.seqs).toEqual([2, 3]);
    expect([early.ended, late.ended]).toEqual([1, 1]);
    expect(hub.followerCount).toBe(0);
  });

  it('ends a follower at once when the run has already ended; unknown runs are not followed', () => {
    const hub = new EventHub();
    hub.open('r');
    hub.publish(ev(0, 'error'));
    const f = recorder();
    expect(hub.follow('r', -1, f)).toBeDefined();
    expect(f).toMatchObject({ seqs: [0], ended: 1 });
    expect(hub.follow('other', -1, recorder())).toBeUndefined();
  });

  it('stops following on request, and release ends the rest', () => {
    const hub = new EventHub();
    hub.open('r');
    const a = recorder();
    const b = recorder();
    const stopA = hub.follow('r', -1, a);
    hub.follow('r', -1, b);
    stopA?.();
    hub.publish(ev(0));
    expect(a.seqs).toEqual([]);
    hub.release('r');
    expect(b).toMatchObject({ seqs: [0], ended: 1 });
    expect(hub.isOpen('r')).toBe(false);
  });

  it('replays the last finished runs from memory after release, never an unfinished one', () => {
    const hub = new EventHub(2);
    for (const id of ['a', 'b', 'c']) {
      hub.open(id);
      hub.publish({ ...ev(0), run_id: id });
      hub.publish({ ...ev(1, 'final'), run_id: id });
      hub.release(id);
    }
    hub.open('cut');
    hub.publish({ ...ev(0), run_id: 'cut' });
    hub.release('cut'); // released before its terminal event (shutdown): not kept
    const c = recorder();
    expect(hub.follow('c', 0, c)).toBeDefined();
    expect(c).toMatchObject({ seqs: [1], ended: 1 });
    expect(hub.follow('b', -1, recorder())).toBeDefined();
    expect(hub.follow('a', -1, recorder())).toBeUndefined(); // the oldest left the cache
    expect(hub.follow('cut', -1, recorder())).toBeUndefined();
    expect(hub.openChannels).toBe(0);
  });
});

describe('RunIndex', () => {
  const entry = (id: string, ms: number, owner?: string): RunEntry =>
    new RunEntry(id, ms, owner, 'succeeded');

  it('lists newest first even when runs arrive out of order, and pages without gaps', () => {
    const index = new RunIndex();
    for (const [id, ms] of [
      ['b', 2],
      ['d', 4],
      ['a', 1],
      ['c', 3],
      ['c2', 3],
    ] as const) {
      index.add(entry(id, ms));
    }
    expect(index.list({ pageSize: 10 }).runs.map((e) => e.runId)).toEqual([
      'd',
      'c2',
      'c',
      'b',
      'a',
    ]);
    const first = index.list({ pageSize: 2 });
    expect(first.runs.map((e) => e.runId)).toEqual(['d', 'c2']);
    const second = index.list({ pageSize: 2, pageToken: first.nextPageToken });
    expect(second.runs.map((e) => e.runId)).toEqual(['c', 'b']);
    const third = index.list({ pageSize: 2, pageToken: second.nextPageToken });
    expect(third.runs.map((e) => e.runId)).toEqual(['a']);
    expect(third.nextPageToken).toBeUndefined();
  });

  it('shows a subject only its own runs', () => {
    const index = new RunIndex();
    index.add(entry('x', 1, 'alice'));
    index.add(entry('y', 2, 'bob'));
    expect(index.list({ pageSize: 10, subject: 'alice' }).runs.map((e) => e.runId)).toEqual(['x']);
    expect(index.list({ pageSize: 10 }).runs).toHaveLength(2);
  });

  it('round-trips page tokens and refuses foreign ones', () => {
    const token = encodePageToken({ createdMs: 1234, runId: 'a:b:c' });
    expect(decodePageToken(token)).toEqual({ createdMs: 1234, runId: 'a:b:c' });
    for (const bad of ['', '!!', 'x'.repeat(600), Buffer.from('nonsense').toString('base64url')]) {
      expect(() => decodePageToken(bad)).toThrow(InvalidPageTokenError);
    }
  });
});

describe('small parsers', () => {
  it('parsePreferWait reads wait=N among other preferences and caps it', () => {
    expect(parsePreferWait(undefined)).toBeUndefined();
    expect(parsePreferWait('wait=5')).toBe(5);
    expect(parsePreferWait('respond-async, wait=10')).toBe(10);
    expect(parsePreferWait('WAIT = "7"')).toBe(7);
    expect(parsePreferWait(['handling=lenient', 'wait=3'])).toBe(3);
    expect(parsePreferWait('wait=100000')).toBe(60);
    expect(parsePreferWait('wait=5', 2)).toBe(2);
    expect(parsePreferWait('wait=-1')).toBeUndefined();
    expect(parsePreferWait('wait=abc')).toBeUndefined();
    expect(parsePreferWait('wait=1'.padEnd(2000, ' '))).toBeUndefined();
  });

  it('parseLastEventId accepts non-negative integers only', () => {
    expect(parseLastEventId('12')).toBe(12);
    expect(parseLastEventId(' 0 ')).toBe(0);
    for (const bad of [undefined, '', '-1', '1.5', 'abc', '9'.repeat(20)]) {
      expect(parseLastEventId(bad)).toBeUndefined();
    }
  });

  it('isSafeRunId and newRunId', () => {
    expect(isSafeRunId(newRunId())).toBe(true);
    expect(newRunId()).not.toBe(newRunId());
    for (const good of ['a', 'A-b_c.d:e', '...', 'x'.repeat(128)])
      expect(isSafeRunId(good)).toBe(true);
    for (const bad of ['.', '..', '', 'x'.repeat(129), 'a/b', 'a b', 42, null]) {
      expect(isSafeRunId(bad)).toBe(false);
    }
  });
});

describe('FileRunStore.traceUri', () => {
  it('is the file URL of the trace, even under a root that needs escaping', () => {
    const root = path.join(tmpdir(), 'arp traces #1 %20 ü');
    const store = new FileRunStore({ traceDir: root, writer: 'pool' });
    for (const runId of ['r1', 'run_abc.def:1-2', 'A..b']) {
      expect(store.traceUri(runId)).toBe(pathToFileURL(path.join(root, runId, 'trace.jsonl')).href);
    }
  });
});

describe('RunIndex.remove', () => {
  it('forgets a run for lookups and listings, and leaves the others in order', () => {
    const index = new RunIndex();
    const entries = ['a', 'b', 'c', 'd'].map((id) => new RunEntry(id, 1_000, undefined, 'queued'));
    for (const e of entries) index.add(e);
    index.remove(entries[1] as RunEntry);
    index.remove(new RunEntry('c', 1_000, undefined, 'queued')); // not the indexed entry: kept
    expect(index.has('b')).toBe(false);
    expect(index.size).toBe(3);
    expect(index.list({ pageSize: 10 }).runs.map((e) => e.runId)).toEqual(['d', 'c', 'a']);
  });
});
