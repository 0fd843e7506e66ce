import path from 'node:path';
import type { Health, ToolDefinition } from '@arp-ts/sdk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  occupyPort,
  runCli,
  startCli,
  tempDir,
  type LongRunning,
} from './helpers/cli-process.js';

const tmp = tempDir();
afterAll(() => tmp.remove());

const started: LongRunning[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop('SIGKILL')));
});

async function start(args: string[], env?: Record<string, string>): Promise<LongRunning> {
  const server = await startCli(args, env ? { env: cleanEnv(env) } : {});
  started.push(server);
  return server;
}

describe('arp-runtime serve', () => {
  it('answers /v1/health on --port 0 and shuts down gracefully on SIGTERM', async () => {
    const server = await start(['serve', '--port', '0', '--trace-dir', path.join(tmp.dir, 's1')]);
    expect(server.output().stdout).toMatch(
      /^ARP Runtime listening on http:\/\/127\.0\.0\.1:\d+\n$/,
    );
    expect(server.url).not.toBe('http://127.0.0.1:0');
    const res = await fetch(`${server.url}/v1/health`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as Health;
    expect(['ok', 'degraded']).toContain(health.status);
    expect(await server.stop('SIGTERM')).toBe(0);
  });

  it('runs a request over HTTP', async () => {
    const server = await start(['serve', '--port', '0', '--trace-dir', path.join(tmp.dir, 's2')]);
    const res = await fetch(`${server.url}/v1/runs`, {
      method: 'POST',
      // The longest wait the server grants: a fresh process's first run can take seconds under load.
      headers: { 'content-type': 'application/json', prefer: 'wait=60' },
      body: JSON.stringify({ input: { goal: 'What is (19*23)?' } }),
    });
    expect(res.status).toBe(200);
    const status = (await res.json()) as { run_id: string; state: string };
    expect(status.state).toBe('succeeded');
    const result = (await (
      await fetch(`${server.url}/v1/runs/${status.run_id}/result`)
    ).json()) as {
      output?: { final_text?: string };
    };
    expect(result.output?.final_text).toBe('19*23 = 437');
  });

  it('passes the auth options through: runs need a bearer token, health stays open', async () => {
    const server = await start(
      ['serve', '--port', '0', '--trace-dir', path.join(tmp.dir, 'auth')],
      {
        ARP_AUTH_JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
      },
    );
    expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
    const res = await fetch(`${server.url}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { goal: 'hi' } }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'auth.unauthorized',
    );
  });

  it('fails clearly when an explicit port is taken, and falls back with --auto-port', async () => {
    const taken = await occupyPort();
    try {
      const dir = path.join(tmp.dir, 's3');
      const refused = await runCli(['serve', '--port', String(taken.port), '--trace-dir', dir]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`error: port ${taken.port} on 127.0.0.1 is already in use`);
      expect(refused.stderr).toContain('--auto-port');
      const fromEnv = await runCli(['serve', '--trace-dir', dir], {
        env: cleanEnv({ ARP_RUNTIME_PORT: String(taken.port) }),
      });
      expect(fromEnv.code).toBe(1);
      const fallback = await start([
        'serve',
        '--port',
        String(taken.port),
        '--auto-port',
        '--trace-dir',
        dir,
      ]);
      expect(fallback.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(fallback.url).not.toBe(`http://127.0.0.1:${taken.port}`);
      expect((await fetch(`${fallback.url}/v1/health`)).status).toBe(200);
    } finally {
      await taken.close();
    }
  });
});

describe('arp-runtime tool-registry', () => {
  it('starts the reference registry, which a run then uses over HTTP', async () => {
    const registry = await start(['tool-registry', '--port', '0']);
    expect(registry.output().stdout).toMatch(
      /^ARP Tool Registry listening on http:\/\/127\.0\.0\.1:\d+\n$/,
    );
    const tools = (await (await fetch(`${registry.url}/v1/tools`)).json()) as
      | ToolDefinition[]
      | {
          tools: ToolDefinition[];
        };
    const names = (Array.isArray(tools) ? tools : tools.tools).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['calc', 'echo', 'time_now']));

    const run = await runCli(['run', '--request', 'What is (19*23)?', '--trace-dir', tmp.dir], {
      env: cleanEnv({ JARVIS_TOOL_REGISTRY_URL: registry.url }),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('19*23 = 437\n');
    expect(await registry.stop('SIGTERM')).toBe(0);
  });

  it('reads TOOL_REGISTRY_PORT like arp-tool-registry and refuses a taken explicit port', async () => {
    const taken = await occupyPort();
    try {
      const { code, stderr } = await runCli(['tool-registry'], {
        env: cleanEnv({ TOOL_REGISTRY_PORT: String(taken.port) }),
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${taken.port} on 127.0.0.1 is already in use`);
    } finally {
      await taken.close();
    }
  });

  it('rejects an unknown domain (exit 2)', async () => {
    const { code, stderr } = await runCli(['tool-registry', '--port', '0', '--domains', 'weather']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown domain 'weather'");
  });
});
