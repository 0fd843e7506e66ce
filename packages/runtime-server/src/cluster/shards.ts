// Which shard of a cluster owns a run. Every run id maps to one shard by a hash of the id, so any
// worker can tell where a run lives without asking anyone: ids this runtime mints, ids clients
// choose and ids found on disk at a restart alike.

/** What a runtime needs to know to be one shard of a cluster. */
export interface ShardContext {
  /** This shard, 0 to count - 1. */
  readonly index: number;
  readonly count: number;
  /** The private (peer) URL of shard `i`; undefined while that shard is not up. */
  peerUrl(i: number): string | undefined;
}

/** FNV-1a (32 bit) of the id's UTF-16 code units: fast, stable across processes and versions. */
function hashRunId(runId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The shard, 0 to count - 1, that owns `runId`. */
export function shardOf(runId: string, count: number): number {
  return count <= 1 ? 0 : hashRunId(runId) % count;
}

/** Draws ids from `mint` until one belongs to `index` (count tries on average). */
export function ownedIdMinter(mint: () => string, index: number, count: number): () => string {
  if (count <= 1) return mint;
  return () => {
    for (;;) {
      const id = mint();
      if (shardOf(id, count) === index) return id;
    }
  };
}

/** Checks a shard's index and count (programming errors, not user input). */
export function checkShard(index: number, count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`a cluster has 1 or more shards, got ${count}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`shard index must be 0 to ${count - 1}, got ${index}`);
  }
}
