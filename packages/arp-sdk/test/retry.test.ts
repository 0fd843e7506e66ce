import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeClient, ToolRegistryClient, backoffDelay, parseRetryAfter } from '@arp-ts/sdk';
import { echoResult, envelope, health, runStatus } from './support/fixtures.js';
import { rejection } from './support/rejection.js';

const base = 'http://retry.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

const unavailable = () =>
  HttpResponse.json(envelope('runtime.overloaded', 'try later'), { status: 503 });

describe('retries', () => {
  it('retries a GET on 503 and then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/health`, () =>
        ++calls < 3 ? unavailable() : HttpResponse.json(health),
      ),
    );
    const client = new RuntimeClient({ baseUrl: base, retry: fast });
    await expect(client.health()).resolves.toEqual(health);
    expect(calls).toBe(3);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/runs/:id`, () => {
        calls++;
        return unavailable();
      }),
    );
    const client = new RuntimeClient({ baseUrl: base, retry: { ...fast, maxAttempts: 4 } });
    const error = await rejection(client.getRunStatus('run_1'));
    expect(error).toMatchObject({ status: 503, code: 'runtime.overloaded', retryable: true });
    expect(calls).toBe(4);
  });

  it.each([429, 502, 504])('retries a GET on %i', async (status) => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/tools`, () =>
        ++calls === 1 ? new HttpResponse('busy', { status }) : HttpResponse.json([]),
      ),
    );
    const client = new ToolRegistryClient({ baseUrl: base, retry: fast });
    await expect(client.listTools()).resolves.toEqual([]);
    expect(calls).toBe(2);
  });

  it('does not retry a GET on 404 or 500', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/runs/:id`, ({ params }) => {
        calls++;
        return params.id === 'gone'
          ? HttpResponse.json(envelope('run.not_found', 'no such run'), { status: 404 })
          : HttpResponse.json(envelope('runtime.internal_error', 'boom'), { status: 500 });
      }),
    );
    const client = new RuntimeClient({ baseUrl: base, retry: fast });
    expect((await rejection(client.getRunStatus('gone'))).code).toBe('run.not_found');
    expect((await rejection(client.getRunStatus('x'))).code).toBe('runtime.internal_error');
    expect(calls).toBe(2);
  });

  it('does not retry a POST on 503', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/v1/runs`, () => {
        calls++;
        return unavailable();
      }),
    );
    const client = new RuntimeClient({ baseUrl: base, retry: fast });
    const error = await rejection(client.createRun({ input: { goal: 'g' } }));
    expect(error.status).toBe(503);
    expect(calls).toBe(1);
  });

  it('retries a GET after a network error', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/health`, () =>
        ++calls === 1 ? HttpResponse.error() : HttpResponse.json(health),
      ),
    );
    const client = new ToolRegistryClient({ baseUrl: base, retry: fast });
    await expect(client.health()).resolves.toEqual(health);
    expect(calls).toBe(2);
  });

  it('does not retry a POST after a network error that may have reached the server', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/v1/tool-invocations`, () => {
        calls++;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json(echoResult);
      }),
    );
    const client = new ToolRegistryClient({ baseUrl: base, retry: fast });
    const error = await rejection(
      client.invokeTool({ invocation_id: 'i', tool_id: 't', args: {} }),
    );
    expect(error).toMatchObject({ status: 0, code: 'client.network_error', retryable: true });
    expect(calls).toBe(1);
  });

  it('does not retry when retries are turned off', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/health`, () => {
        calls++;
        return unavailable();
      }),
    );
    const client = new RuntimeClient({ baseUrl: base, retry: { ...fast, maxAttempts: 1 } });
    await rejection(client.health());
    expect(calls).toBe(1);
  });

  it('waits for Retry-After, and gives up when it is longer than maxDelayMs', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/runs/:id`, ({ params }) => {
        calls++;
        if (calls > 1) return HttpResponse.json(runStatus(String(params.id)));
        return HttpResponse.json(envelope('runtime.overloaded', 'busy'), {
          status: 429,
          headers: { 'Retry-After': params.id === 'patient' ? '0' : '120' },
        });
      }),
    );
    const client = new RuntimeClient({ baseUrl: base, retry: fast });
    await expect(client.getRunStatus('patient')).resolves.toEqual(runStatus('patient'));
    expect(calls).toBe(2);
    calls = 0;
    const error = await rejection(client.getRunStatus('impatient'));
    expect(error.status).toBe(429);
    expect(calls).toBe(1);
  });
});

describe('backoffDelay', () => {
  const retry = { baseDelayMs: 100, maxDelayMs: 1000 };
  it('doubles per attempt with at most half of it as jitter', () => {
    expect(backoffDelay(1, retry, () => 0)).toBe(50);
    expect(backoffDelay(1, retry, () => 1)).toBe(100);
    expect(backoffDelay(3, retry, () => 0)).toBe(200);
    expect(backoffDelay(3, retry, () => 1)).toBe(400);
  });
  it('is capped by maxDelayMs', () => {
    expect(backoffDelay(20, retry, () => 1)).toBe(1000);
    expect(backoffDelay(20, retry, () => 0)).toBe(500);
  });
  it('spreads clients apart', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, retry)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(400);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
