import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeClient, type RunRequest } from '@arp-ts/sdk';
import { envelope, health, runList, runResult, runStatus, version } from './support/fixtures.js';
import { rejection } from './support/rejection.js';

const base = 'http://runtime.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = (timeoutMs?: number) =>
  new RuntimeClient({
    baseUrl: base,
    token: 'tok',
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });

const request: RunRequest = { run_id: 'run_1', input: { goal: 'Say hello.' } };

describe('RuntimeClient success paths', () => {
  it('reads health and version', async () => {
    server.use(
      http.get(`${base}/v1/health`, () => HttpResponse.json(health)),
      http.get(`${base}/v1/version`, () => HttpResponse.json(version)),
    );
    await expect(client().health()).resolves.toEqual(health);
    await expect(client().version()).resolves.toEqual(version);
  });

  it('creates a run, sending the body and no Prefer header by default', async () => {
    const seen: { body: unknown; prefer: string | null; auth: string | null }[] = [];
    server.use(
      http.post(`${base}/v1/runs`, async ({ request: r }) => {
        seen.push({
          body: await r.json(),
          prefer: r.headers.get('prefer'),
          auth: r.headers.get('authorization'),
        });
        return HttpResponse.json(runStatus('run_1'));
      }),
    );
    await expect(client().createRun(request)).resolves.toEqual(runStatus('run_1'));
    expect(seen).toEqual([{ body: request, prefer: null, auth: 'Bearer tok' }]);
  });

  it('sends Prefer: wait=N when waitSeconds is given', async () => {
    let prefer: string | null = null;
    server.use(
      http.post(`${base}/v1/runs`, ({ request: r }) => {
        prefer = r.headers.get('prefer');
        return HttpResponse.json(runStatus('run_1', 'succeeded'));
      }),
    );
    await expect(client().createRun(request, { waitSeconds: 7 })).resolves.toEqual(
      runStatus('run_1', 'succeeded'),
    );
    expect(prefer).toBe('wait=7');
  });

  it('refuses a negative or fractional waitSeconds before sending', async () => {
    await expect(client().createRun(request, { waitSeconds: -1 })).rejects.toThrow(RangeError);
    await expect(client().createRun(request, { waitSeconds: 1.5 })).rejects.toThrow(RangeError);
  });

  it('gets status and result, encoding the run id', async () => {
    const paths: string[] = [];
    server.use(
      http.get(`${base}/v1/runs/:runId`, ({ request: r }) => {
        paths.push(new URL(r.url).pathname);
        return HttpResponse.json(runStatus('run/1', 'running'));
      }),
      http.get(`${base}/v1/runs/:runId/result`, ({ request: r }) => {
        paths.push(new URL(r.url).pathname);
        return HttpResponse.json(runResult('run/1'));
      }),
    );
    await expect(client().getRunStatus('run/1')).resolves.toEqual(runStatus('run/1', 'running'));
    await expect(client().getRunResult('run/1')).resolves.toEqual(runResult('run/1'));
    expect(paths).toEqual(['/v1/runs/run%2F1', '/v1/runs/run%2F1/result']);
  });

  it('cancels a run with POST /v1/runs/{run_id}:cancel', async () => {
    const paths: string[] = [];
    server.use(
      http.post(/\/v1\/runs\/[^/]+:cancel$/, ({ request: r }) => {
        paths.push(new URL(r.url).pathname);
        return HttpResponse.json(runStatus('run_1', 'canceled'));
      }),
    );
    await expect(client().cancelRun('run_1')).resolves.toEqual(runStatus('run_1', 'canceled'));
    expect(paths).toEqual(['/v1/runs/run_1:cancel']);
  });

  it('lists runs with the query parameters', async () => {
    const queries: string[] = [];
    server.use(
      http.get(`${base}/v1/runs`, ({ request: r }) => {
        queries.push(new URL(r.url).search);
        return HttpResponse.json(runList('a', 'b'));
      }),
    );
    await expect(client().listRuns()).resolves.toEqual(runList('a', 'b'));
    await client().listRuns({ state: 'failed', pageSize: 2, pageToken: 'n x' });
    expect(queries).toEqual(['', '?state=failed&page_size=2&page_token=n%20x']);
  });
});

describe('RuntimeClient errors', () => {
  it('maps an ErrorEnvelope to ArpApiError fields', async () => {
    server.use(
      http.get(`${base}/v1/runs/:runId/result`, () =>
        HttpResponse.json(envelope('run.not_finished', 'still running', { state: 'running' }), {
          status: 409,
          headers: { 'X-Request-Id': 'rq-1' },
        }),
      ),
    );
    const error = await rejection(client().getRunResult('run_1'));
    expect(error).toMatchObject({
      name: 'ArpApiError',
      status: 409,
      code: 'run.not_finished',
      message: 'still running',
      details: { state: 'running' },
      requestId: 'rq-1',
      retryable: false,
    });
  });

  it("keeps the envelope's own retryable flag", async () => {
    server.use(
      http.post(`${base}/v1/runs`, () =>
        HttpResponse.json(
          { error: { code: 'runtime.overloaded', message: 'queue full', retryable: true } },
          { status: 429, headers: { 'Retry-After': '1' } },
        ),
      ),
    );
    const error = await rejection(client().createRun(request));
    expect(error).toMatchObject({ status: 429, code: 'runtime.overloaded', retryable: true });
  });

  it('maps 401 with its envelope', async () => {
    server.use(
      http.get(`${base}/v1/runs`, () =>
        HttpResponse.json(envelope('auth.unauthorized', 'token expired'), {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
        }),
      ),
    );
    const error = await rejection(client().listRuns());
    expect(error).toMatchObject({ status: 401, code: 'auth.unauthorized' });
  });

  it('rejects an off-spec RunStatus with client.invalid_response and the issues', async () => {
    server.use(
      http.get(`${base}/v1/runs/:runId`, () =>
        HttpResponse.json(
          { run_id: 'run_1', state: 'bogus' },
          { headers: { 'X-Request-Id': 'r9' } },
        ),
      ),
    );
    const error = await rejection(client().getRunStatus('run_1'));
    expect(error).toMatchObject({ status: 200, code: 'client.invalid_response', requestId: 'r9' });
    expect(error.message).toContain('$.state must be one of');
  });

  it('rejects an empty 2xx body', async () => {
    server.use(http.post(`${base}/v1/runs`, () => new HttpResponse(null, { status: 200 })));
    const error = await rejection(client().createRun(request));
    expect(error.code).toBe('client.invalid_response');
  });

  it('times out with client.timeout', async () => {
    server.use(
      http.get(`${base}/v1/health`, async () => {
        await delay(5_000);
        return HttpResponse.json(health);
      }),
    );
    const error = await rejection(client(50).health());
    expect(error).toMatchObject({ status: 0, code: 'client.timeout', retryable: true });
    const perCall = await rejection(client().health({ timeoutMs: 30 }));
    expect(perCall.details).toEqual({ timeout_ms: 30 });
  });

  it('stops with client.aborted when the caller aborts', async () => {
    server.use(
      http.get(`${base}/v1/version`, async () => {
        await delay(5_000);
        return HttpResponse.json(version);
      }),
    );
    const controller = new AbortController();
    const pending = client().version({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(error).toMatchObject({ status: 0, code: 'client.aborted', retryable: false });
  });

  it('does not send at all with an already aborted signal', async () => {
    let calls = 0;
    server.use(
      http.get(`${base}/v1/version`, () => {
        calls++;
        return HttpResponse.json(version);
      }),
    );
    const error = await rejection(client().version({ signal: AbortSignal.abort() }));
    expect(error.code).toBe('client.aborted');
    expect(calls).toBe(0);
  });
});
