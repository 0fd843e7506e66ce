// Which shard owns a run: the hash every worker computes on its own, so it must never change
// between processes or versions (stored runs would be recovered by the wrong shard).
import { describe, expect, it } from 'vitest';
import { checkShard, ownedIdMinter, shardOf } from '../src/cluster/shards.js';
import { newRunId } from '../src/run-id.js';

describe('shardOf', () => {
  it('maps known ids to the same shards as ever (FNV-1a of the id, modulo the count)', () => {
    // Pinned: a change of the hash would strand every stored run on another shard.
    expect([2, 3, 4].map((n) => shardOf('run-a', n))).toEqual([0, 1, 0]);
    expect([2, 3, 4].map((n) => shardOf('r-1', n))).toEqual([1, 1, 3]);
    expect([2, 3, 4].map((n) => shardOf('hello', n))).toEqual([1, 0, 3]);
    expect([2, 3, 4].map((n) => shardOf('run_00000000000000000000000000000000', n))).toEqual([
      1, 2, 3,
    ]);
  });

  it('is stable across calls', () => {
    const id = newRunId();
    expect(shardOf(id, 3)).toBe(shardOf(id, 3));
  });

  it('spreads random ids about evenly over 2, 3 and 4 shards', () => {
    const ids = Array.from({ length: 10_000 }, () => newRunId());
    for (const count of [2, 3, 4]) {
      const perShard = new Array<number>(count).fill(0);
      for (const id of ids) {
        const shard = shardOf(id, count);
        perShard[shard] = (perShard[shard] ?? 0) + 1;
      }
      // An index outside 0..count-1 would add a slot.
      expect(perShard).toHaveLength(count);
      const fair = ids.length / count;
      // 10k draws: a fair split stays well within 10% of even (about 5 standard deviations).
      for (const n of perShard) expect(Math.abs(n - fair)).toBeLessThan(fair * 0.1);
    }
  });

  it('puts every id on shard 0 of a single shard', () => {
    for (const id of ['run-a', 'r-1', 'hello', newRunId()]) expect(shardOf(id, 1)).toBe(0);
  });
});

describe('ownedIdMinter', () => {
  it('only returns ids the shard owns, each a fresh one', () => {
    for (const count of [2, 3]) {
      for (let index = 0; index < count; index++) {
        const mint = ownedIdMinter(newRunId, index, count);
        const ids = Array.from({ length: 200 }, () => mint());
        for (const id of ids) expect(shardOf(id, count)).toBe(index);
        expect(new Set(ids).size).toBe(ids.length);
      }
    }
  });

  it('passes ids through untouched with one shard', () => {
    const ids = ['a', 'b', 'c'];
    const mint = ownedIdMinter(() => ids.shift() ?? 'none', 0, 1);
    expect([mint(), mint(), mint()]).toEqual(['a', 'b', 'c']);
  });

  it('skips ids of other shards', () => {
    // 'run-a' is shard 0's of 2, 'r-1' and 'hello' shard 1's.
    const ids = ['run-a', 'r-1', 'hello'];
    const mint = ownedIdMinter(() => ids.shift() ?? 'none', 1, 2);
    expect(mint()).toBe('r-1');
    expect(mint()).toBe('hello');
  });
});

describe('checkShard', () => {
  it('accepts every index of a count', () => {
    expect(() => checkShard(0, 1)).not.toThrow();
    expect(() => checkShard(3, 4)).not.toThrow();
  });

  it.each([
    [0, 0, /1 or more shards/],
    [0, -1, /1 or more shards/],
    [0, 1.5, /1 or more shards/],
    [0, Number.NaN, /1 or more shards/],
    [2, 2, /0 to 1, got 2/],
    [-1, 2, /0 to 1, got -1/],
    [0.5, 2, /0 to 1, got 0.5/],
  ])('refuses index %s of count %s', (index, count, message) => {
    expect(() => checkShard(index, count)).toThrow(RangeError);
    expect(() => checkShard(index, count)).toThrow(message);
  });
});
