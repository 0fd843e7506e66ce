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
});
