import { readFileSync } from 'node:fs';
import {
  runtimeOpenApi,
  validateHealth,
  validateRunStatus,
  validateVersionInfo,
  type ToolDefinition,
} from '@arp-ts/sdk';
import type { ToolRegistryPort } from '@arp-ts/runtime-core';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRunStore } from '../src/index.js';
import { call, createRun, expectError, expectOk, postRun } from './helpers/http.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no series ${series}`);
  return Number(line.slice(series.length + 1));
}

/**
 * A health probe timeout for tests where nothing hangs: the file store's probe (a write and a
 * delete) may take well over the default second on a loaded machine, which would make it 'degraded'.
 */
const PATIENT_HEALTH_MS = 30_000;

const unreachableRegistry: ToolRegistryPort = {
  listTools: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')),
  getTool: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')),
  invokeTool: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')),
};

const hangingRegistry: ToolRegistryPort = {
  listTools: () => new Promise<ToolDefinition[]>(() => undefined),
  getTool: () => new Promise(() => undefined),
  invokeTool: () => new Promise(() => undefined),
};

describe('service endpoints', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('GET /v1/health is ok with its checks when everything works', async () => {
    server = await startTestServer({ healthTimeoutMs: PATIENT_HEALTH_MS });
    const health = expectOk(await call(server.url, '/v1/health'), validateHealth);
    expect(health.status).toBe('ok');
    expect(health.checks?.map((c) => c.name)).toEqual([
      'tool_registry',
      'store',
      'queue',
      'accepting_runs',
    ]);
    expect(health.checks?.every((c) => c.status === 'ok')).toBe(true);
  });

  it('GET /v1/health is degraded when the tool registry is unreachable or hangs', async () => {
    for (const toolRegistry of [unreachableRegistry, hangingRegistry]) {
      // The hanging registry must time out, so the timeout is short. A memory store's probe settles
      // before any timer fires: a file store's probe could lose that race on a loaded machine
      // (store down, health 'down').
      server = await startTestServer({
        toolRegistry,
        healthTimeoutMs: 400,
        store: new MemoryRunStore(),
      });
      const health = expectOk(await call(server.url, '/v1/health'), validateHealth);
      expect(health.status).toBe('degraded');
      const check = health.checks?.find((c) => c.name === 'tool_registry');
      expect(check?.status).toBe('degraded');
      expect(check?.message).toMatch(/unreachable/);
      await server.close();
    }
    server = await startTestServer();
  });

  it('GET /v1/health is degraded while the store is slow, and down once it refuses writes', async () => {
    class ProbedStore extends MemoryRunStore {
      constructor(private readonly answer: () => Promise<void>) {
        super();
      }
      override probe(): Promise<void> {
        return this.answer();
      }
    }
    const cases = [
      { answer: () => new Promise<void>(() => undefined), status: 'degraded', message: /slow/ },
      {
        answer: () =>
          Promise.reject(Object.assign(new Error('EACCES: denied'), { code: 'EACCES' })),
        status: 'down',
        message: /not writable: EACCES/,
      },
    ] as const;
    for (const { answer, status, message } of cases) {
      server = await startTestServer({ store: new ProbedStore(answer), healthTimeoutMs: 400 });
      const health = expectOk(await call(server.url, '/v1/health'), validateHealth);
      expect(health.status).toBe(status);
      const check = health.checks?.find((c) => c.name === 'store');
      expect(check?.status).toBe(status);
      expect(check?.message).toMatch(message);
      await server.close();
    }
    server = await startTestServer();
  });

  it('GET /v1/health is degraded when the queue is nearly full', async () => {
    server = await startTestServer({
      maxConcurrentRuns: 1,
      maxQueuedRuns: 1,
      healthTimeoutMs: PATIENT_HEALTH_MS,
    });
    await createRun(server.url, { input: { goal: 'say block-q1' } });
    await server.gate.started('block-q1');
    await createRun(server.url, { input: { goal: 'say block-q2' } });
    const health = expectOk(await call(server.url, '/v1/health'), validateHealth);
    expect(health.status).toBe('degraded');
    expect(health.checks?.find((c) => c.name === 'queue')).toMatchObject({
      status: 'degraded',
      details: { depth: 1, max: 1, in_flight: 1 },
    });
    server.gate.release('block-q1');
    server.gate.release('block-q2');
  });

  it('GET /v1/version names the service, its version and the API versions', async () => {
    server = await startTestServer({ build: { commit: 'abc1234', dirty: false } });
    const version = expectOk(await call(server.url, '/v1/version'), validateVersionInfo);
    expect(version).toEqual({
      service_name: 'arp-runtime',
      service_version: pkg.version,
      supported_api_versions: ['v1'],
      build: { commit: 'abc1234', dirty: false },
    });
  });

  it('GET /openapi.json serves the Runtime OpenAPI document', async () => {
    server = await startTestServer();
    const answer = await call(server.url, '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(runtimeOpenApi);
  });

  it('GET /metrics counts runs by state, durations, queue, in-flight runs and tool outcomes', async () => {
    server = await startTestServer({ maxConcurrentRuns: 1 });
    await createRun(server.url, { input: { goal: 'What is (1+1)?' } }, { wait: 10 });
    await createRun(server.url, { input: { goal: 'What is (1/0)?' } }, { wait: 10 });
    await createRun(server.url, { input: { goal: 'say block-m' } });
    await server.gate.started('block-m');
    await createRun(server.url, { input: { goal: 'say queued' } });
    const answer = await call(server.url, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = answer.text;
    expect(metricValue(text, 'arp_runs_total{state="queued"}')).toBe(4);
    expect(metricValue(text, 'arp_runs_total{state="running"}')).toBe(3);
    expect(metricValue(text, 'arp_runs_total{state="succeeded"}')).toBe(2);
    expect(metricValue(text, 'arp_queue_depth')).toBe(1);
    expect(metricValue(text, 'arp_runs_in_flight')).toBe(1);
    expect(metricValue(text, 'arp_run_duration_seconds_count')).toBe(2);
    expect(metricValue(text, 'arp_run_duration_seconds_bucket{le="+Inf"}')).toBe(2);
    expect(metricValue(text, 'arp_tool_invocations_total{outcome="ok"}')).toBe(1);
    expect(metricValue(text, 'arp_tool_invocations_total{outcome="error"}')).toBe(1);
    expect(text).toContain('# TYPE arp_run_duration_seconds histogram');
    // Buckets are cumulative.
    const buckets = text
      .split('\n')
      .filter((l) => l.startsWith('arp_run_duration_seconds_bucket'))
      .map((l) => Number(l.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    server.gate.release('block-m');
  });

  it('answers unknown routes with 404 route.not_found and wrong methods with 405', async () => {
    server = await startTestServer();
    expectError(await call(server.url, '/v2/anything'), 404, 'route.not_found');
    expectError(await call(server.url, '/v1/runs/a/b/c'), 404, 'route.not_found');
    const deleted = await call(server.url, '/v1/runs', { method: 'DELETE' });
    expectError(deleted, 405, 'request.method_not_allowed');
    expect(deleted.headers.get('allow')).toBe('GET, POST');
    expectError(
      await call(server.url, '/v1/health', { method: 'POST' }),
      405,
      'request.method_not_allowed',
    );
    expectError(
      await call(server.url, '/v1/runs/x/result', { method: 'PUT' }),
      405,
      'request.method_not_allowed',
    );
  });

  it('sets X-Request-Id on every answer, echoing a safe caller id', async () => {
    server = await startTestServer();
    const mine = await call(server.url, '/v1/health', { headers: { 'x-request-id': 'req-123' } });
    expect(mine.headers.get('x-request-id')).toBe('req-123');
    const error = await call(server.url, '/v1/runs/missing');
    expect(error.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('applies a configured body limit (413 request.too_large)', async () => {
    server = await startTestServer({ bodyLimitBytes: 1024 });
    expectError(
      await postRun(server.url, { input: { goal: 'z'.repeat(2000) } }),
      413,
      'request.too_large',
    );
    expectOk(await postRun(server.url, { input: { goal: 'say small' } }), validateRunStatus);
  });
});
