// Runs the real `arp-tool-registry` bin (dist/ must be built: turbo's test task does it).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(packageDir, 'bin', 'arp-tool-registry.js');

const children: ChildProcess[] = [];

beforeAll(() => {
  if (!existsSync(path.join(packageDir, 'dist', 'cli.js'))) {
    throw new Error('dist/cli.js is missing: run `npx tsc -p tsconfig.build.json` first.');
  }
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...extra };
  for (const key of ['TOOL_REGISTRY_HOST', 'TOOL_REGISTRY_PORT', 'TOOL_REGISTRY_DOMAINS']) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

function launch(args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: packageDir,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): Promise<Finished> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function run(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return collect(launch(args, env));
}

/** Starts the bin and resolves with the URL it announces on stdout. */
function serve(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; exited: Promise<Finished> }> {
  const child = launch(args, env);
  const exited = collect(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = /^ARP Tool Registry listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match?.[1]) resolve({ child, url: match[1], exited });
    });
    void exited.then((f) => reject(new Error(`exited ${f.code} before listening: ${f.stderr}`)));
  });
}

async function takePort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server };
}

function expectOneLineError(f: Finished, code: number, message: RegExp): void {
  expect(f.code).toBe(code);
  expect(f.stdout).toBe('');
  const first = f.stderr.split('\n')[0] ?? '';
  expect(first).toMatch(message);
  expect(f.stderr).not.toMatch(/^\s+at /m); // no stack trace
}

describe('arp-tool-registry', () => {
  it('prints usage with --help and exits 0', async () => {
    const f = await run(['--help']);
    expect(f.code).toBe(0);
    expect(f.stdout).toMatch(/^Usage: arp-tool-registry \[options\]/);
    expect(f.stdout).toContain('--auto-port');
  });

  it('rejects unknown options with exit code 2 and one line', async () => {
    const f = await run(['--bogus']);
    expectOneLineError(f, 2, /^arp-tool-registry: Unknown option '--bogus'/);
    expect(f.stderr).toContain("Run 'arp-tool-registry --help' for usage.");
  });

  it('serves the API with extra domains, reports them in health, and exits 0 on SIGTERM', async () => {
    const { child, url, exited } = await serve([
      '--port',
      '0',
      '--domains',
      'core,./examples/unit-conversion-domain.js',
    ]);
    const health = (await (await fetch(`${url}/v1/health`)).json()) as {
      checks: Array<{ name: string }>;
    };
    expect(health.checks.map((c) => c.name)).toEqual(['domain:core', 'domain:units']);
    const res = await fetch(`${url}/v1/tool-invocations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        invocation_id: 'inv_cli',
        tool_name: 'convert_units',
        args: { value: 5, from: 'km', to: 'm' },
      }),
    });
    expect(await res.json()).toMatchObject({ ok: true, result: { result: 5000 } });
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  });

  it('reads TOOL_REGISTRY_PORT and TOOL_REGISTRY_DOMAINS, and exits 0 on SIGINT', async () => {
    const { child, url, exited } = await serve([], {
      TOOL_REGISTRY_PORT: '0',
      TOOL_REGISTRY_DOMAINS: './test/fixtures/named-export-domain.js',
    });
    const tools = (await (await fetch(`${url}/v1/tools`)).json()) as Array<{ name: string }>;
    expect(tools.map((t) => t.name)).toEqual(['greet']);
    child.kill('SIGINT');
    expect((await exited).code).toBe(0);
  });

  it('fails with exit code 1 when an explicit port is taken, unless --auto-port', async () => {
    const blocker = await takePort();
    try {
      const message = new RegExp(
        `^arp-tool-registry: Port ${blocker.port} on 127\\.0\\.0\\.1 is already in use`,
      );
      expectOneLineError(await run(['--port', String(blocker.port)]), 1, message);
      const { child, url, exited } = await serve(['--port', String(blocker.port), '--auto-port']);
      expect(url).not.toBe(`http://127.0.0.1:${blocker.port}`);
      expect((await fetch(`${url}/v1/version`)).status).toBe(200);
      child.kill('SIGTERM');
      expect((await exited).code).toBe(0);
    } finally {
      await new Promise<void>((resolve) => blocker.server.close(() => resolve()));
    }
  });
});

describe('examples/quickstart.mjs', () => {
  it('runs and prints what the README shows', async () => {
    const child = spawn(process.execPath, [path.join(packageDir, 'examples', 'quickstart.mjs')], {
      cwd: packageDir,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const f = await collect(child);
    expect(f.stderr).toBe('');
    expect(f.code).toBe(0);
    expect(f.stdout).toBe(
      [
        'tools: echo, calc, time_now, convert_units',
        'calc: (19*23) = 437',
        'convert_units: 5 km = 5000 m',
        'calc failed: tool.execution_error: Division by zero at position 1',
        '',
      ].join('\n'),
    );
  });
});
