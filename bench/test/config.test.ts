import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../src/config.js';

describe('parseArgs', () => {
  it('runs the full bench by default and the small one with --quick', () => {
    const full = parseArgs([]);
    const quick = parseArgs(['--', '--quick']);
    if (full === 'help' || quick === 'help') throw new Error('unexpected help');
    expect(full.mode).toBe('full');
    expect(full.engine.runs).toBe(20_000);
    expect(quick.mode).toBe('quick');
    expect(quick.rounds).toBeLessThan(full.rounds);
    expect(quick.ceilingRequests).toBeLessThan(full.ceilingRequests);
  });

  it('selects figures and profiles by name and refuses unknown names', () => {
    const config = parseArgs(['--only=engine,memory', '--profile=embedded']);
    if (config === 'help') throw new Error('unexpected help');
    expect([...config.only]).toEqual(['engine', 'memory']);
    expect([...config.profile]).toEqual(['embedded']);
    expect(() => parseArgs(['--only=engines'])).toThrow(UsageError);
    expect(() => parseArgs(['--fast'])).toThrow(UsageError);
    expect(parseArgs(['--help'])).toBe('help');
  });

  it('runs figures 3 and 4 on one worker per core unless --workers says otherwise', () => {
    const workers = (args: string[]): number => {
      const config = parseArgs(args);
      if (config === 'help') throw new Error('unexpected help');
      return config.runtimeWorkers;
    };
    expect(workers([])).toBe(os.availableParallelism());
    expect(workers(['--workers=auto'])).toBe(os.availableParallelism());
    expect(workers(['--workers=1'])).toBe(1);
    expect(workers(['--workers=3'])).toBe(3);
    for (const bad of ['0', '65', 'two', '', '1.5']) {
      expect(() => parseArgs([`--workers=${bad}`])).toThrow(UsageError);
    }
  });
});
