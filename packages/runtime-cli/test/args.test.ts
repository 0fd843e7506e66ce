import { describe, expect, it } from 'vitest';
import { listFlag, parseFlags, stringFlag, type FlagSpecs } from '../src/args.js';
import { CliError } from '../src/errors.js';

const specs = {
  request: { type: 'string', description: 'request' },
  'trace-dir': { type: 'string', description: 'dir' },
  'allow-tool': { type: 'string', multiple: true, description: 'allow' },
  quiet: { type: 'boolean', short: 'q', description: 'quiet' },
} as const satisfies FlagSpecs;

function usageErrorOf(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('parseFlags', () => {
  it('parses string, boolean, short and repeated flags', () => {
    const parsed = parseFlags(
      'arp-runtime run',
      ['--request', 'hi', '-q', '--allow-tool', 'calc,echo', '--allow-tool=time_now'],
      specs,
    );
    expect(stringFlag(parsed, 'request')).toBe('hi');
    expect(parsed.values.quiet).toBe(true);
    expect(listFlag(parsed, 'allow-tool')).toEqual(['calc', 'echo', 'time_now']);
  });

  it('rejects an unknown flag with the closest known one, exit 2', () => {
    const err = usageErrorOf(() => parseFlags('arp-runtime run', ['--requets', 'x'], specs));
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(
      "unknown flag --requets for 'arp-runtime run' (did you mean --request?)",
    );
  });

  it('points at --help when no known flag is close', () => {
    const err = usageErrorOf(() => parseFlags('arp-runtime run', ['--zzzzzzzzzz'], specs));
    expect(err.message).toContain("see 'arp-runtime run --help'");
  });

  it('reports a missing value and stray arguments as usage errors', () => {
    expect(
      usageErrorOf(() => parseFlags('arp-runtime run', ['--request'], specs)).message,
    ).toContain("flag '--request <value>' argument missing");
    expect(usageErrorOf(() => parseFlags('arp-runtime run', ['extra'], specs)).message).toContain(
      "unexpected argument 'extra'",
    );
  });

  it('accepts positionals only where allowed', () => {
    const parsed = parseFlags('arp-runtime run', ['What', 'is', '2+2?'], specs, {
      allowPositionals: true,
    });
    expect(parsed.positionals).toEqual(['What', 'is', '2+2?']);
  });
});
