// A cluster's GET /v1/runs: each shard lists its own runs from the same page token, with the
// cursor of every run; the newest page_size of all of them form the page. Page tokens name a
// (creation time, run id) position rather than an offset, so one token serves every shard.
import type { RunStatus } from '@arp-ts/sdk';
import { compareCursors, decodePageToken, type Cursor } from '../lifecycle/run-index.js';

/** A shard's page with the page token of each of its runs (`cursors[i]` is `runs[i]`'s). */
export interface ShardPage {
  runs: RunStatus[];
  cursors: string[];
  next_page_token?: string;
}

export interface MergedPage {
  runs: RunStatus[];
  next_page_token?: string;
}

export function isShardPage(value: unknown): value is ShardPage {
  if (typeof value !== 'object' || value === null) return false;
  const page = value as Partial<ShardPage>;
  return (
    Array.isArray(page.runs) &&
    Array.isArray(page.cursors) &&
    page.cursors.length === page.runs.length &&
    page.cursors.every((c) => typeof c === 'string')
  );
}

export function mergePages(pages: readonly ShardPage[], pageSize: number): MergedPage {
  const all: { run: RunStatus; token: string; cursor: Cursor }[] = [];
  let more = false;
  for (const page of pages) {
    if (page.next_page_token !== undefined) more = true;
    page.runs.forEach((run, i) => {
      const token = page.cursors[i] ?? '';
      all.push({ run, token, cursor: decodePageToken(token) });
    });
  }
  // Newest first, as each shard lists.
  all.sort((a, b) => compareCursors(b.cursor, a.cursor));
  if (all.length > pageSize) more = true;
  const kept = all.slice(0, pageSize);
  const last = kept.at(-1);
  const merged: MergedPage = { runs: kept.map((k) => k.run) };
  if (more && last) merged.next_page_token = last.token;
  return merged;
}
