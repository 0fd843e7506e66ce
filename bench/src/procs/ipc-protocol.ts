// Messages between the bench (parent) and its fixture processes over the IPC channel.

/** Parent -> child. `id` pairs a request with its answer. */
export type ParentMessage =
  | { id: number; type: 'measure' }
  | { id: number; type: 'stats' }
  | { id: number; type: 'release' }
  | { id: number; type: 'stop' };

/** What `measure` answers: process.memoryUsage() after forced garbage collections. */
export interface MemorySnapshot {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** What `stats` answers: CPU time used so far, and a runtime's counters. */
export interface FixtureStats {
  /** process.cpuUsage(): every thread of the process, the fs thread pool included. */
  cpuUserUs: number;
  cpuSystemUs: number;
  runtime?: RuntimeCounters;
}

/** The runtime's counters and the runs blocked in the slow tool. */
export interface RuntimeCounters {
  inFlight: number;
  queueDepth: number;
  runs: number;
  blocked: number;
}

export type ChildMessage =
  | { id: number; type: 'measure'; memory: MemorySnapshot }
  | { id: number; type: 'stats'; stats: FixtureStats }
  | { id: number; type: 'release'; released: number }
  | { id: number; type: 'stop' }
  | { id: number; type: 'error'; message: string };

export function isParentMessage(value: unknown): value is ParentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; type?: unknown };
  return (
    typeof v.id === 'number' &&
    (v.type === 'measure' || v.type === 'stats' || v.type === 'release' || v.type === 'stop')
  );
}

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; type?: unknown };
  return typeof v.id === 'number' && typeof v.type === 'string';
}
