import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFlags, type FlagSpecs } from '../src/args.js';
import {
  parseByteSize,
  resolveLimits,
  resolveModelMode,
  resolveRedactPrompts,
  resolveToolPolicy,
  resolveToolRegistry,
  resolveTraceDir,
  resolveWorkers,
} from '../src/config.js';
import { CliError } from '../src/errors.js';
import { modelFlags, runLimitFlags, toolRegistryFlags, traceFlags } from '../src/flags.js';

const specs = {
  ...toolRegistryFlags,
  ...traceFlags,
  ...modelFlags,
  ...runLimitFlags,
} as const satisfies FlagSpecs;
const parse = (...argv: string[]) => parseFlags('arp-runtime run', argv, specs);

function errorOf(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}

describe('resolveToolRegistry', () => {
  it('is inproc by default', () => {
    expect(resolveToolRegistry(parse(), {})).toEqual({ mode: 'inproc' });
  });

  it('is http when a URL comes from the flag or either env name, the preferred name first', () => {
    expect(resolveToolRegistry(parse('--tool-registry-url', 'http://h:1/'), {})).toEqual({
      mode: 'http',
      url: 'http://h:1',
      urlSource: '--tool-registry-url',
    });
    expect(
      resolveToolRegistry(parse(), { JARVIS_TOOL_REGISTRY_URL: 'http://old:2' }),
    ).toMatchObject({
      mode: 'http',
      url: 'http://old:2',
      urlSource: 'JARVIS_TOOL_REGISTRY_URL',
    });
    expect(
      resolveToolRegistry(parse(), {
        ARP_TOOL_REGISTRY_URL: 'http://new:3',
        JARVIS_TOOL_REGISTRY_URL: 'http://old:2',
      }),
    ).toMatchObject({ url: 'http://new:3', urlSource: 'ARP_TOOL_REGISTRY_URL' });
  });

  it('lets the flag beat the environment', () => {
    expect(
      resolveToolRegistry(parse('--tool-registry', 'inproc'), {
        ARP_TOOL_REGISTRY_URL: 'http://x:1',
      }),
    ).toEqual({ mode: 'inproc' });
    expect(
      resolveToolRegistry(parse('--tool-registry-url', 'http://flag:1'), {
        JARVIS_TOOL_REGISTRY_MODE: 'inproc',
      }),
    ).toMatchObject({ mode: 'http', url: 'http://flag:1' });
    expect(
      resolveToolRegistry(parse(), {
        JARVIS_TOOL_REGISTRY_MODE: 'inproc',
        ARP_TOOL_REGISTRY_URL: 'http://x:1',
      }),
    ).toEqual({ mode: 'inproc' });
  });

  it('rejects http without a URL, a bad mode and a bad URL (exit 2)', () => {
    const noUrl = errorOf(() => resolveToolRegistry(parse('--tool-registry', 'http'), {}));
    expect(noUrl.exitCode).toBe(2);
    expect(noUrl.hint).toContain('--tool-registry-url');
    expect(
      errorOf(() => resolveToolRegistry(parse(), { JARVIS_TOOL_REGISTRY_MODE: 'grpc' })).message,
    ).toBe('JARVIS_TOOL_REGISTRY_MODE must be http or inproc (got "grpc")');
    expect(
      errorOf(() => resolveToolRegistry(parse('--tool-registry-url', 'ftp://x'), {})).message,
    ).toContain('must be an http:// or https:// URL');
  });
});

describe('other run settings', () => {
  it('resolves the trace dir from flag, env, default, against cwd', () => {
    expect(resolveTraceDir(parse(), {}, '/w')).toBe(path.resolve('/w/runs'));
    expect(resolveTraceDir(parse(), { JARVIS_TRACE_DIR: 't' }, '/w')).toBe(path.resolve('/w/t'));
    expect(resolveTraceDir(parse('--trace-dir', '/abs'), { JARVIS_TRACE_DIR: 't' }, '/w')).toBe(
      path.resolve('/abs'),
    );
  });

  it('reads JARVIS_REDACT_PROMPTS as 1/true/yes and rejects other words', () => {
    for (const yes of ['1', 'true', 'YES']) {
      expect(resolveRedactPrompts(parse(), { JARVIS_REDACT_PROMPTS: yes })).toBe(true);
    }
    expect(resolveRedactPrompts(parse(), { JARVIS_REDACT_PROMPTS: '0' })).toBe(false);
    expect(resolveRedactPrompts(parse(), {})).toBe(false);
    expect(resolveRedactPrompts(parse('--redact-prompts'), { JARVIS_REDACT_PROMPTS: 'no' })).toBe(
      true,
    );
    expect(
      errorOf(() => resolveRedactPrompts(parse(), { JARVIS_REDACT_PROMPTS: 'maybe' })).exitCode,
    ).toBe(2);
  });

  it('resolves the model mode', () => {
    expect(resolveModelMode(parse(), {})).toBe('stub');
    expect(resolveModelMode(parse(), { JARVIS_RUNTIME_MODE: 'OpenAI' })).toBe('openai');
    expect(resolveModelMode(parse('--mode', 'stub'), { JARVIS_RUNTIME_MODE: 'openai' })).toBe(
      'stub',
    );
    expect(errorOf(() => resolveModelMode(parse('--mode', 'gpt'), {})).message).toBe(
      '--mode must be stub or openai (got "gpt")',
    );
  });

  it('checks limits and policy', () => {
    expect(resolveLimits(parse('--max-steps', '3', '--timeout-ms', '5000'))).toEqual({
      max_steps: 3,
      timeout_ms: 5000,
    });
    expect(errorOf(() => resolveLimits(parse('--max-steps', '0'))).message).toContain(
      '--max-steps must be an integer from 1',
    );
    expect(errorOf(() => resolveLimits(parse('--timeout-ms', '1.5'))).exitCode).toBe(2);
    expect(resolveToolPolicy(parse('--allow-tool', 'calc', '--deny-tool', 'tool_echo'))).toEqual({
      allow: ['calc'],
      deny: ['tool_echo'],
    });
    expect(errorOf(() => resolveToolPolicy(parse('--deny-tool', '../x y'))).exitCode).toBe(2);
  });

  it('parses byte sizes with units', () => {
    const size = (value: string) => parseByteSize({ value, source: '--body-limit' });
    expect(size('1048576')).toBe(1048576);
    expect(size('512kb')).toBe(512_000);
    expect(size('2MiB')).toBe(2 * 1024 * 1024);
    expect(errorOf(() => size('lots')).message).toContain('--body-limit must be a size');
  });
});

describe('resolveWorkers', () => {
  const serveSpecs = { workers: { type: 'string', description: 'workers' } } as const;
  const parseServe = (...argv: string[]) => parseFlags('arp-runtime serve', argv, serveSpecs);
  const cores = () => 6;

  it('is 1 (one process) by default, else the flag, else ARP_RUNTIME_WORKERS', () => {
    expect(resolveWorkers(parseServe(), {}, cores)).toEqual({ value: 1, source: 'default' });
    expect(
      resolveWorkers(parseServe('--workers', '3'), { ARP_RUNTIME_WORKERS: '5' }, cores),
    ).toEqual({ value: 3, source: '--workers' });
    expect(resolveWorkers(parseServe(), { ARP_RUNTIME_WORKERS: ' 5 ' }, cores)).toEqual({
      value: 5,
      source: 'ARP_RUNTIME_WORKERS',
    });
  });

  it('reads auto as one per core, at most 64', () => {
    expect(resolveWorkers(parseServe('--workers', 'auto'), {}, cores).value).toBe(6);
    expect(resolveWorkers(parseServe(), { ARP_RUNTIME_WORKERS: 'AUTO' }, cores).value).toBe(6);
    expect(resolveWorkers(parseServe('--workers', 'auto'), {}, () => 128).value).toBe(64);
    expect(resolveWorkers(parseServe('--workers', 'auto'), {}).value).toBeGreaterThanOrEqual(1);
  });

  it('rejects anything but an integer from 1 to 64 or auto, naming the source (exit 2)', () => {
    for (const bad of ['0', '65', '-1', '1.5', '2x', 'many', '']) {
      const err = errorOf(() => resolveWorkers(parseServe(`--workers=${bad}`), {}, cores));
      expect(err.exitCode).toBe(2);
      expect(err.message).toBe(`--workers must be an integer from 1 to 64 or auto (got "${bad}")`);
    }
    expect(
      errorOf(() => resolveWorkers(parseServe(), { ARP_RUNTIME_WORKERS: 'lots' }, cores)).message,
    ).toBe('ARP_RUNTIME_WORKERS must be an integer from 1 to 64 or auto (got "lots")');
  });
});
