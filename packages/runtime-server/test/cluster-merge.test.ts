// How a cluster's front merges its shards' answers: listings (newest first across shards, with
// page tokens that work on every shard) and Prometheus texts (summed series by series).
import type { RunStatus } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { mergePages, type ShardPage } from '../src/cluster/merge-listing.js';
import { sumMetrics } from '../src/cluster/merge-metrics.js';
import { compareCursors, decodePageToken, encodePageToken } from '../src/lifecycle/run-index.js';
import { RuntimeMetrics } from '../src/metrics.js';

interface Run {
  runId: string;
  createdMs: number;
}

const status = (run: Run): RunStatus => ({ run_id: run.runId, state: 'succeeded' });
const tokenOf = (run: Run): string => encodePageToken(run);

/** A shard's listing as a shard gives it: newest first, with each run's cursor. */
function pageOf(runs: Run[], more = false): ShardPage {
  const sorted = [...runs].sort((a, b) => compareCursors(b, a));
  const page: ShardPage = { runs: sorted.map(status), cursors: sorted.map(tokenOf) };
  const last = sorted.at(-1);
  if (more && last) page.next_page_token = tokenOf(last);
  return page;
}

/** What one shard answers to GET /v1/runs?page_size&page_token (as RunIndex.list does). */
function listShard(runs: Run[], pageSize: number, pageToken?: string): ShardPage {
  const after = pageToken === undefined ? undefined : decodePageToken(pageToken);
  const older = [...runs]
    .sort((a, b) => compareCursors(b, a))
    .filter((r) => after === undefined || compareCursors(r, after) < 0);
  return pageOf(older.slice(0, pageSize), older.length > pageSize);
}

const ids = (page: { runs: RunStatus[] }): string[] => page.runs.map((r) => r.run_id);

describe('mergePages', () => {
  const a = [
    { runId: 'a1', createdMs: 1000 },
    { runId: 'a3', createdMs: 3000 },
    { runId: 'a5', createdMs: 5000 },
  ];
  const b = [
    { runId: 'b2', createdMs: 2000 },
    { runId: 'b4', createdMs: 4000 },
  ];

  it('interleaves the shards newest first', () => {
    const merged = mergePages([pageOf(a), pageOf(b)], 10);
    expect(ids(merged)).toEqual(['a5', 'b4', 'a3', 'b2', 'a1']);
    expect(merged.next_page_token).toBeUndefined();
  });

  it('orders runs created in the same millisecond by run id, newest (largest) first', () => {
    const merged = mergePages(
      [pageOf([{ runId: 'x-b', createdMs: 7 }]), pageOf([{ runId: 'x-c', createdMs: 7 }])],
      10,
    );
    expect(ids(merged)).toEqual(['x-c', 'x-b']);
  });

  it('cuts at page_size with the last kept run as next_page_token', () => {
    const merged = mergePages([pageOf(a), pageOf(b)], 3);
    expect(ids(merged)).toEqual(['a5', 'b4', 'a3']);
    expect(merged.next_page_token).toBe(tokenOf({ runId: 'a3', createdMs: 3000 }));
  });

  it('gives a token when a shard says it has more, even if the page is not full', () => {
    const merged = mergePages([pageOf(a.slice(2), true), pageOf([])], 5);
    expect(ids(merged)).toEqual(['a5']);
    expect(merged.next_page_token).toBe(tokenOf({ runId: 'a5', createdMs: 5000 }));
  });

  it('gives no token when every run fits exactly', () => {
    const merged = mergePages([pageOf(a), pageOf(b)], 5);
    expect(ids(merged)).toHaveLength(5);
    expect(merged).not.toHaveProperty('next_page_token');
  });

  it('lists nothing, without a token, when every shard is empty', () => {
    expect(mergePages([pageOf([]), pageOf([])], 10)).toEqual({ runs: [] });
  });

  it('keeps one shard runs when the others are empty', () => {
    expect(ids(mergePages([pageOf([]), pageOf(b), pageOf([])], 10))).toEqual(['b4', 'b2']);
  });

  it('walks every run of every shard once, in order, page by page', () => {
    const shards: Run[][] = [[], [], []];
    const all: Run[] = [];
    for (let i = 0; i < 40; i++) {
      // Several runs per millisecond, spread over the shards unevenly.
      const run = { runId: `run-${String(i).padStart(2, '0')}`, createdMs: 100 + (i >> 2) };
      shards[i % 7 === 0 ? 2 : i % 2]?.push(run);
      all.push(run);
    }
    const expected = [...all].sort((x, y) => compareCursors(y, x)).map((r) => r.runId);
    for (const pageSize of [1, 3, 7, 40, 100]) {
      const seen: string[] = [];
      let token: string | undefined;
      for (let pages = 0; pages < 100; pages++) {
        const merged = mergePages(
          shards.map((runs) => listShard(runs, pageSize, token)),
          pageSize,
        );
        expect(merged.runs.length).toBeLessThanOrEqual(pageSize);
        seen.push(...ids(merged));
        token = merged.next_page_token;
        if (token === undefined) break;
      }
      expect(seen, `page_size ${pageSize}`).toEqual(expected);
    }
  });
});

describe('sumMetrics', () => {
  const first = [
    '# HELP arp_runs_total Runs.',
    '# TYPE arp_runs_total counter',
    'arp_runs_total{state="succeeded"} 3',
    'arp_runs_total{state="failed"} 1',
    '# HELP arp_run_duration_seconds Durations.',
    '# TYPE arp_run_duration_seconds histogram',
    'arp_run_duration_seconds_bucket{le="0.5"} 2',
    'arp_run_duration_seconds_bucket{le="+Inf"} 4',
    'arp_run_duration_seconds_sum 1.5',
    'arp_run_duration_seconds_count 4',
    '# HELP arp_queue_depth Queued.',
    '# TYPE arp_queue_depth gauge',
    'arp_queue_depth 2',
    '',
  ].join('\n');
  const second = first
    .replace('{state="succeeded"} 3', '{state="succeeded"} 5')
    .replace('{state="failed"} 1', '{state="failed"} 0')
    .replace('{le="0.5"} 2', '{le="0.5"} 1')
    .replace('{le="+Inf"} 4', '{le="+Inf"} 1')
    .replace('_sum 1.5', '_sum 2.25')
    .replace('_count 4', '_count 1')
    .replace('arp_queue_depth 2', 'arp_queue_depth 7');

  it('adds counters, histogram series and gauges, keeping comments once and the order', () => {
    expect(sumMetrics([first, second])).toBe(
      [
        '# HELP arp_runs_total Runs.',
        '# TYPE arp_runs_total counter',
        'arp_runs_total{state="succeeded"} 8',
        'arp_runs_total{state="failed"} 1',
        '# HELP arp_run_duration_seconds Durations.',
        '# TYPE arp_run_duration_seconds histogram',
        'arp_run_duration_seconds_bucket{le="0.5"} 3',
        'arp_run_duration_seconds_bucket{le="+Inf"} 5',
        'arp_run_duration_seconds_sum 3.75',
        'arp_run_duration_seconds_count 5',
        '# HELP arp_queue_depth Queued.',
        '# TYPE arp_queue_depth gauge',
        'arp_queue_depth 9',
        '',
      ].join('\n'),
    );
  });

  it('gives one text back unchanged', () => {
    expect(sumMetrics([first])).toBe(first);
  });

  it('sums three shards, and series only a later shard has come after the others', () => {
    const third = 'arp_runs_total{state="succeeded"} 1\nlate_series{x="a b"} 4\n';
    const summed = sumMetrics([first, second, third]).split('\n');
    expect(summed).toContain('arp_runs_total{state="succeeded"} 9');
    expect(summed.at(-2)).toBe('late_series{x="a b"} 4');
    expect(summed.filter((l) => l.startsWith('# TYPE arp_runs_total'))).toHaveLength(1);
  });

  it('sums what RuntimeMetrics renders, line for line', () => {
    const one = new RuntimeMetrics();
    const two = new RuntimeMetrics();
    one.runEntered('succeeded');
    one.runDuration(0.2);
    one.toolInvocation(true);
    two.runEntered('succeeded');
    two.runEntered('failed');
    two.runDuration(3);
    two.toolInvocation(false);
    const texts = [
      one.render({ queueDepth: () => 1, inFlight: () => 2 }),
      two.render({ queueDepth: () => 3, inFlight: () => 0 }),
    ];
    const summed = sumMetrics(texts).split('\n');
    // Same lines as one runtime's, in the same order.
    expect(summed.map((l) => l.replace(/ [^ ]+$/, ''))).toEqual(
      texts[0]?.split('\n').map((l) => l.replace(/ [^ ]+$/, '')),
    );
    expect(summed).toContain('arp_runs_total{state="succeeded"} 2');
    expect(summed).toContain('arp_runs_total{state="failed"} 1');
    expect(summed).toContain('arp_run_duration_seconds_bucket{le="0.25"} 1');
    expect(summed).toContain('arp_run_duration_seconds_bucket{le="5"} 2');
    expect(summed).toContain('arp_run_duration_seconds_count 2');
    expect(summed).toContain('arp_queue_depth 4');
    expect(summed).toContain('arp_runs_in_flight 2');
    expect(summed).toContain('arp_tool_invocations_total{outcome="ok"} 1');
    expect(summed).toContain('arp_tool_invocations_total{outcome="error"} 1');
  });
});
