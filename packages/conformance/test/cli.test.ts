// The command in-process (runCli) for its parsing, output and exit codes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli-main.js';
import { startFakeRegistry } from './fixtures/fake-registry.js';
import type { StartedServer } from './fixtures/server.js';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe('usage', () => {
  it('prints help and version', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('arp-conformance check runtime|tool-registry --url URL');
    const version = await cli('--version');
    expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it.each([
    [[], 'a command is required'],
    [['check'], 'check needs a target'],
    [['check', 'daemon', '--url', 'http://x'], 'the target must be one of runtime, tool-registry'],
    [['check', 'runtime'], '--url is required'],
    [['check', 'runtime', '--url', 'not a url'], 'is not a valid URL'],
    [['check', 'runtime', '--url', 'ftp://x'], 'http or https'],
    [['check', 'runtime', '--url', 'http://x', '--tier', 'extreme'], '--tier must be one of'],
    [['check', 'runtime', '--url', 'http://x', '--format', 'xml'], '--format must be one of'],
    [['check', 'runtime', '--url', 'http://x', '--timeout', '-5'], 'Option'],
    [['check', 'runtime', '--url', 'http://x', '--timeout', '0'], '--timeout must be a positive'],
    [['check', 'runtime', '--url', 'http://x', '--poll-timeout', '1.5'], '--poll-timeout must be'],
    [['check', 'runtime', '--url', 'http://x', '--header', 'NoEquals'], '--header must look like'],
    [['check', 'runtime', '--url', 'http://x', '--bogus'], "Unknown option '--bogus'"],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['check', 'runtime', '--url', 'http://x', '--header', 'X-A=a\nb'], 'line break'],
  ])('%j is a usage error with one clear line', async (argv, message) => {
    const result = await cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists the checks of a target', async () => {
    const result = await cli('list', 'tool-registry');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('tool_registry.core.invoke');
    expect(result.stdout).not.toContain('runtime.smoke.health');
  });
});

describe('check', () => {
  let good: StartedServer;
  let broken: StartedServer;
  let warning: StartedServer;
  let dir: string;
  beforeAll(async () => {
    good = await startFakeRegistry();
    broken = await startFakeRegistry(['unknown_tool_404']);
    warning = await startFakeRegistry(['plain_404_route']);
    dir = await mkdtemp(join(tmpdir(), 'arp-conformance-'));
  });
  afterAll(async () => {
    await Promise.all([good.close(), broken.close(), warning.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 with one line per check and the summary when everything passes', async () => {
    const result = await cli('check', 'tool-registry', '--url', good.url, '--tier', 'core');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^PASS {2}tool_registry\.core\.invoke {2}/));
    expect(lines.at(-1)).toBe('13 passed, 0 failed, 0 warned, 0 skipped');
  });

  it('exits 1 when a check fails', async () => {
    const result = await cli('check', 'tool-registry', '--url', broken.url, '--tier', 'deep');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}tool_registry\.deep\.unknown_tool {2}/m);
    expect(result.stdout).toContain('1 failed');
  });

  it('lets warnings pass, unless --strict', async () => {
    const args = ['check', 'tool-registry', '--url', warning.url, '--tier', 'surface'];
    expect((await cli(...args)).code).toBe(0);
    expect((await cli(...args, '--strict')).code).toBe(1);
  });

  it('writes json and junit reports to --out and prints the summary', async () => {
    const jsonFile = join(dir, 'report.json');
    const json = await cli(
      'check',
      'tool-registry',
      '--url',
      broken.url,
      '--tier',
      'deep',
      '--format',
      'json',
      '--out',
      jsonFile,
    );
    expect(json.code).toBe(1);
    expect(json.stdout).toContain(`report written to ${jsonFile}`);
    const report = JSON.parse(await readFile(jsonFile, 'utf8')) as {
      checks: Array<{ id: string; status: string }>;
    };
    expect(report.checks.filter((c) => c.status === 'FAIL').map((c) => c.id)).toEqual([
      'tool_registry.deep.unknown_tool',
    ]);

    const junit = await cli(
      'check',
      'tool-registry',
      '--url',
      good.url,
      '--tier',
      'smoke',
      '--format',
      'junit',
    );
    expect(junit.code).toBe(0);
    expect(junit.stdout).toContain('<testsuites name="arp-conformance" tests="3" failures="0"');
  });

  it('sends every --header', async () => {
    // The fixture ignores auth; the report shows the header went out (redacted).
    const file = join(dir, 'headers.json');
    await cli(
      'check',
      'tool-registry',
      '--url',
      warning.url,
      '--tier',
      'surface',
      '--format',
      'json',
      '--out',
      file,
      '--header',
      'Authorization=Bearer abc',
      '--header',
      'X-Tenant=t1',
    );
    const text = await readFile(file, 'utf8');
    const report = JSON.parse(text) as {
      checks: Array<{ exchanges?: Array<{ request: { headers: Record<string, string> } }> }>;
    };
    const headers = report.checks.flatMap((c) => c.exchanges ?? [])[0]?.request.headers;
    expect(headers).toMatchObject({ Authorization: 'Bearer <redacted>', 'X-Tenant': 't1' });
    expect(text).not.toContain('abc');
  });
});
