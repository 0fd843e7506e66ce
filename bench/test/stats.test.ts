import { describe, expect, it } from 'vitest';
import { median, quantileSorted, round, spread } from '../src/stats.js';

describe('order statistics', () => {
  it('interpolates quantiles between neighbours', () => {
    const sorted = [10, 20, 30, 40];
    expect(quantileSorted(sorted, 0)).toBe(10);
    expect(quantileSorted(sorted, 1)).toBe(40);
    expect(quantileSorted(sorted, 0.5)).toBe(25);
    expect(quantileSorted(sorted, 0.99)).toBeCloseTo(39.7);
    expect(quantileSorted(new Float64Array([5]), 0.99)).toBe(5);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('takes medians and spreads of unsorted samples, keeping the samples in order', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(spread([5, 1, 9, 3])).toEqual({ median: 4, min: 1, max: 9, samples: [5, 1, 9, 3] });
  });

  it('rounds to fewer decimals as values grow', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(12.345)).toBe(12.3);
    expect(round(12_345.6)).toBe(12_346);
    expect(round(1.23456, 1)).toBe(1.2);
  });
});
