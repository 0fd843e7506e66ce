import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/config.js';
import { parseCostCurveArgs, type CostCurveConfig } from '../src/tools/cost-curve-args.js';

function parsed(args: string[]): CostCurveConfig {
  const config = parseCostCurveArgs(args);
  if (config === 'help') throw new Error('unexpected help');
  return config;
}

describe('parseCostCurveArgs', () => {
  it('measures 0 to 300 µs per request on one process and one per core by default', () => {
    expect(parsed([])).toEqual({
      costsUs: [0, 100, 200, 300],
      workers: [1, os.availableParallelism()],
      requests: 20_000,
      concurrency: 64,
    });
  });

  it('takes lists of costs and process counts, auto included, without repeats', () => {
    const config = parsed(['--', '--cost=50,150,50', '--workers=auto,3', '--requests=500']);
    expect(config.costsUs).toEqual([50, 150]);
    expect(config.workers).toEqual([...new Set([os.availableParallelism(), 3])]);
    expect(config.requests).toBe(500);
    expect(parsed(['--concurrency=16']).concurrency).toBe(16);
  });

  it('refuses values out of range, empty items and unknown flags with a usage error', () => {
    for (const bad of [
      '--cost=',
      '--cost=1,,2',
      '--cost=-5',
      '--cost=100001',
      '--cost=1.5',
      '--workers=0',
      '--workers=65',
      '--workers=two',
      '--requests=99',
      '--concurrency=0',
      '--concurrency=1025',
      '--costs=1',
      '--cost',
      'cost=1',
    ]) {
      expect(() => parseCostCurveArgs([bad]), bad).toThrow(UsageError);
    }
    expect(parseCostCurveArgs(['--help'])).toBe('help');
    expect(parseCostCurveArgs(['-h'])).toBe('help');
  });
});
