import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../src/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('--requst', '--request')).toBe(1);
  });
});

describe('closestMatch', () => {
  const flags = ['--request', '--trace-dir', '--tool-registry', '--tool-registry-url', '--json'];

  it('suggests the nearest flag for a typo', () => {
    expect(closestMatch('--requst', flags)).toBe('--request');
    expect(closestMatch('--tool-regsitry-url', flags)).toBe('--tool-registry-url');
    expect(closestMatch('--jsno', flags)).toBe('--json');
  });

  it('suggests a flag that the input is a prefix of', () => {
    expect(closestMatch('--trace', flags)).toBe('--trace-dir');
  });

  it('suggests nothing when no flag is close', () => {
    expect(closestMatch('--completely-different', flags)).toBeUndefined();
    expect(closestMatch('--x', [])).toBeUndefined();
  });
});
