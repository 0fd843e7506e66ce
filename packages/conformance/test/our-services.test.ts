// CI proof that our services follow the standard: the deep tier against our Tool Registry, our
// Runtime with the embedded registry, our Runtime calling the HTTP registry, and our Runtime with
// JWT auth on (token passed by --header to the real `arp-conformance` process). Also the seed
// tutorial's own flow end to end.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createHttpToolRegistry } from '@arp-ts/runtime-core/http-tool-registry';
import { startRuntimeServer, type StartRuntimeServerOptions } from '@arp-ts/runtime-server';
import { createToolRegistry, startToolRegistryServer } from '@arp-ts/tool-registry-mock';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatText, runConformance, type Report, type Target } from '../src/index.js';
import { startShardedRuntime } from './support/sharded-runtime.js';
import { withToolLatency } from './support/tool-latency.js';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../bin/arp-conformance.js', import.meta.url));
const DIST_CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

type Logger = NonNullable<StartRuntimeServerOptions['logger']>;
const silent: Logger = {
  level: 'silent',
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
  isEnabled: () => false,
};

/** Latency of every tool invocation (see support/tool-latency.ts). */
const TOOL_LATENCY_MS = 150;

const JWT_SECRET = 'arp-conformance-test-secret-of-at-least-32-bytes';
const JWT_ISSUER = 'https://issuer.example';
const JWT_AUDIENCE = 'arp-runtime';

function token(subject: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

interface Service {
  url: string;
  close(): Promise<void>;
}

let traceRoot: string;
let registry: Service;
let embedded: Service;
let overHttp: Service;
let withJwt: Service;
let sharded: Service;

async function startRuntime(
  name: string,
  options: Partial<StartRuntimeServerOptions> = {},
): Promise<Service> {
  return startRuntimeServer({
    toolRegistry: withToolLatency(createToolRegistry(), TOOL_LATENCY_MS),
    traceDir: join(traceRoot, name),
    host: '127.0.0.1',
    port: 0,
    logger: silent,
    shutdownGraceMs: 1_000,
    ...options,
  });
}

beforeAll(async () => {
  traceRoot = await mkdtemp(join(tmpdir(), 'arp-conformance-ours-'));
  registry = await startToolRegistryServer({ host: '127.0.0.1', port: 0, logger: silent });
  embedded = await startRuntime('embedded');
  overHttp = await startRuntime('http', {
    toolRegistry: withToolLatency(
      createHttpToolRegistry({ baseUrl: registry.url }),
      TOOL_LATENCY_MS,
    ),
  });
  withJwt = await startRuntime('jwt', {
    auth: { jwtSecret: JWT_SECRET, issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
  });
  sharded = await startShardedRuntime(3, {
    toolRegistry: withToolLatency(createToolRegistry(), TOOL_LATENCY_MS),
    traceDir: join(traceRoot, 'sharded'),
    logger: silent,
    shutdownGraceMs: 1_000,
  });
});

afterAll(async () => {
  await Promise.all([embedded, overHttp, withJwt, sharded].map((s) => s?.close()));
  await registry?.close();
  if (traceRoot) await rm(traceRoot, { recursive: true, force: true });
});

async function deep(
  target: Target,
  url: string,
  headers?: Record<string, string>,
): Promise<Report> {
  return runConformance({
    target,
    url,
    tier: 'deep',
    ...(headers ? { headers } : {}),
    timeoutMs: 5_000,
    pollTimeoutMs: 10_000,
  });
}

/** Every check passes; a failure shows the whole text report in the assertion message. */
function expectAllPass(report: Report): void {
  const notPassed = report.checks.filter((c) => c.status !== 'PASS');
  expect(notPassed, formatText(report)).toEqual([]);
}

describe('the deep tier', () => {
  it('passes against our Tool Registry', async () => {
    expectAllPass(await deep('tool-registry', registry.url));
  });

  it('passes against our Runtime with the embedded registry', async () => {
    expectAllPass(await deep('runtime', embedded.url));
  });

  it('passes against our Runtime calling the HTTP Tool Registry', async () => {
    expectAllPass(await deep('runtime', overHttp.url));
  });

  it('passes against our Runtime with JWT auth, given a token', async () => {
    const report = await deep('runtime', withJwt.url, {
      Authorization: `Bearer ${await token('conformance')}`,
    });
    expectAllPass(report);
  });

  it('passes against our Runtime as a cluster of 3 shards, each request at another shard', async () => {
    expectAllPass(await deep('runtime', sharded.url));
  });

  it('fails against our Runtime with JWT auth without a token (auth really is on)', async () => {
    const report = await runConformance({ target: 'runtime', url: withJwt.url, tier: 'core' });
    const failed = report.checks.filter((c) => c.status === 'FAIL').map((c) => c.id);
    // Health and version stay open; everything about runs is refused.
    expect(failed).not.toContain('runtime.smoke.health');
    expect(failed).toContain('runtime.core.create_run');
    const create = report.checks.find((c) => c.id === 'runtime.core.create_run');
    expect(create?.exchanges?.at(-1)?.response?.status).toBe(401);
  });
});

describe('the arp-conformance command', () => {
  it('checks our JWT Runtime at the deep tier with --header and exits 0', async () => {
    expect(existsSync(DIST_CLI), 'build the package first: npx tsc -p tsconfig.build.json').toBe(
      true,
    );
    const bearer = await token('conformance-cli');
    const { stdout } = await run(
      process.execPath,
      [
        BIN,
        'check',
        'runtime',
        '--url',
        withJwt.url,
        '--tier',
        'deep',
        '--header',
        `Authorization=Bearer ${bearer}`,
        '--poll-timeout',
        '10000',
        '--format',
        'json',
      ],
      { timeout: 60_000 },
    );
    const report = JSON.parse(stdout) as Report;
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBe(report.checks.length);
    expect(stdout).not.toContain(bearer);
  });

  it('exits 1 against the same Runtime without the token', async () => {
    const child = run(process.execPath, [BIN, 'check', 'runtime', '--url', withJwt.url]);
    await expect(child).rejects.toMatchObject({ code: 1 });
  });
});

describe("the seed tutorial's flow", () => {
  async function tutorialRun(baseUrl: string): Promise<unknown> {
    const created = await fetch(`${baseUrl}/v1/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { goal: 'What is (19*23)?' } }),
    });
    expect(created.status).toBe(200);
    const { run_id: runId } = (await created.json()) as { run_id: string };
    const deadline = Date.now() + 10_000;
    for (;;) {
      const status = (await (await fetch(`${baseUrl}/v1/runs/${runId}`)).json()) as {
        state: string;
      };
      if (['succeeded', 'failed', 'canceled'].includes(status.state)) break;
      if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const result = await fetch(`${baseUrl}/v1/runs/${runId}/result`);
    expect(result.status).toBe(200);
    return result.json();
  }

  it('answers "What is (19*23)?" with 19*23 = 437 (embedded registry)', async () => {
    expect(await tutorialRun(embedded.url)).toMatchObject({
      ok: true,
      output: { final_text: '19*23 = 437' },
    });
  });

  it('answers "What is (19*23)?" with 19*23 = 437 (HTTP registry)', async () => {
    expect(await tutorialRun(overHttp.url)).toMatchObject({
      ok: true,
      output: { final_text: '19*23 = 437' },
    });
  });
});
