// Every known run by id, plus an array ordered by (created, run_id) for newest-first listings with
// stable page tokens (a token names the last run of a page, so it survives restarts).
import type { RunState } from '@arp-ts/sdk';
import type { RunEntry } from './run-entry.js';

export interface Cursor {
  createdMs: number;
  runId: string;
}

/** Oldest first: by creation time, then by run id. */
export function compareCursors(a: Cursor, b: Cursor): number {
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  return a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
}

export class InvalidPageTokenError extends Error {
  constructor() {
    super('page_token is not one this server issued');
    this.name = 'InvalidPageTokenError';
  }
}

export function encodePageToken(cursor: Cursor): string {
  return Buffer.from(`${cursor.createdMs}:${cursor.runId}`, 'utf8').toString('base64url');
}

export function decodePageToken(token: string): Cursor {
  if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidPageTokenError();
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^(-?\d{1,16}):(.+)$/.exec(text);
  if (!match?.[1] || !match[2]) throw new InvalidPageTokenError();
  return { createdMs: Number(match[1]), runId: match[2] };
}

export interface ListQuery {
  state?: RunState;
  pageSize: number;
  pageToken?: string;
  /** Only runs this subject may see (undefined: all). */
  subject?: string;
}

export class RunIndex {
  private readonly byId = new Map<string, RunEntry>();
  private readonly ordered: RunEntry[] = [];

  get size(): number {
    return this.byId.size;
  }

  has(runId: string): boolean {
    return this.byId.has(runId);
  }

  get(runId: string): RunEntry | undefined {
    return this.byId.get(runId);
  }

  /** The newest creation time, so new runs can be stamped monotonically. */
  get newestCreatedMs(): number {
    return this.ordered.at(-1)?.createdMs ?? 0;
  }

  add(entry: RunEntry): void {
    this.byId.set(entry.runId, entry);
    const last = this.ordered.at(-1);
    if (!last || compareCursors(last, entry) <= 0) {
      this.ordered.push(entry);
      return;
    }
    this.ordered.splice(this.upperBound(entry), 0, entry);
  }

  /** Forgets a run (one whose acceptance could not be stored). */
  remove(entry: RunEntry): void {
    if (this.byId.get(entry.runId) !== entry) return;
    this.byId.delete(entry.runId);
    const i = this.lowerBound(entry);
    const at = this.ordered[i] === entry ? i : this.ordered.indexOf(entry);
    if (at >= 0) this.ordered.splice(at, 1);
  }

  values(): IterableIterator<RunEntry> {
    return this.byId.values();
  }

  list(query: ListQuery): { runs: RunEntry[]; nextPageToken?: string } {
    let i = this.ordered.length - 1;
    if (query.pageToken !== undefined) {
      i = this.lowerBound(decodePageToken(query.pageToken)) - 1;
    }
    const runs: RunEntry[] = [];
    for (; i >= 0 && runs.length < query.pageSize; i--) {
      const entry = this.ordered[i];
      if (!entry || !entry.visibleTo(query.subject)) continue;
      if (query.state !== undefined && entry.state !== query.state) continue;
      runs.push(entry);
    }
    const last = runs.at(-1);
    const more = i >= 0 && last !== undefined;
    return more ? { runs, nextPageToken: encodePageToken(last) } : { runs };
  }

  /** First index whose entry is >= cursor. */
  private lowerBound(cursor: Cursor): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.ordered[mid];
      if (entry && compareCursors(entry, cursor) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose entry is > cursor. */
  private upperBound(cursor: Cursor): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const entry = this.ordered[mid];
      if (entry && compareCursors(entry, cursor) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
