// Order statistics over repeated samples: the bench reports medians and their spread, never means
// (one disturbed sample on a shared machine should not move the headline figure).

export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** The q-quantile (0..1) of values sorted ascending, by linear interpolation. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(pos);
  const upper = Math.min(n - 1, lower + 1);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (pos - lower);
}

export function median(values: readonly number[]): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantileSorted(sorted, 0.5),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    samples: [...values],
  };
}

/** Rounds for reports: enough digits to compare, not so many that tables become noise. */
export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value);
  const places = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : digits;
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
