import { describe, expect, it } from 'vitest';
import {
  createLogger,
  jsonDepthExceeds,
  parseLogLevel,
  readPackageInfo,
} from '@arp-ts/service-kit';

describe('createLogger', () => {
  it('writes JSON lines at or above its level, with child fields', () => {
    const lines: string[] = [];
    const log = createLogger({ name: 'svc', level: 'warn', write: (l) => lines.push(l) });
    log.info('dropped');
    log.child({ run_id: 'r1' }).warn('kept', { n: 1 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'warn',
      service: 'svc',
      run_id: 'r1',
      msg: 'kept',
      n: 1,
    });
  });

  it('parses level names leniently and falls back on unknown ones', () => {
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('warning')).toBe('warn');
    expect(parseLogLevel('loud')).toBe('info');
    expect(parseLogLevel(undefined, 'error')).toBe('error');
  });
});

describe('jsonDepthExceeds', () => {
  it('measures nesting without recursion, even for very deep documents', () => {
    expect(jsonDepthExceeds({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(jsonDepthExceeds({ a: [1, { b: {} }] }, 3)).toBe(true);
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown;
    expect(jsonDepthExceeds(deep, 64)).toBe(true);
  });
});

describe('readPackageInfo', () => {
  it('finds the package.json above a module', () => {
    expect(readPackageInfo(import.meta.url)).toEqual({
      name: '@arp-ts/service-kit',
      version: '0.1.0',
    });
  });
});
