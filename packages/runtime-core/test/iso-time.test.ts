import { describe, expect, it } from 'vitest';
import { isoTime } from '../src/index.js';

const reference = (ms: number): string => new Date(ms).toISOString();

describe('isoTime', () => {
  it('writes what Date#toISOString writes at the edges of days, months, years and eras', () => {
    const edges = [
      0,
      -1,
      1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(2000, 2, 1),
      Date.UTC(1900, 1, 28, 12),
      Date.UTC(1900, 2, 1),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2026, 10, 21, 15, 4, 5, 123),
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(1600, 0, 1),
      -62_167_219_200_000, // 0000-01-01T00:00:00.000Z
      253_402_300_799_999, // 9999-12-31T23:59:59.999Z
      253_402_300_800_000, // +010000-01-01: handed to toISOString
      -62_167_219_200_001, // -000001-12-31: handed to toISOString
    ];
    for (const ms of edges) expect(isoTime(ms), String(ms)).toBe(reference(ms));
  });

  it('agrees with Date#toISOString on 20,000 random times, repeated and interleaved', () => {
    // A fixed-seed generator: the same times on every run, spread over years 0 to 9999.
    let seed = 0x2f6b_1d3;
    const next = (): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed / 2 ** 32;
    };
    const span = 253_402_300_799_999 + 62_167_219_200_000;
    let previous = 0;
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(next() * span) - 62_167_219_200_000;
      expect(isoTime(ms)).toBe(reference(ms));
      // Same day, another time: exercises the cached day prefix.
      const sameDay = ms - (ms % 1_000) + (i % 1_000);
      expect(isoTime(sameDay)).toBe(reference(sameDay));
      expect(isoTime(previous)).toBe(reference(previous));
      previous = ms;
    }
  });

  it('falls back to Date for fractions and invalid times', () => {
    expect(isoTime(1.5)).toBe(reference(1.5));
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
