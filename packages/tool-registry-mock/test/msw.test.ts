import { createServer, type Server } from 'node:http';
import { closeServer, listenWithFallback, silentLogger } from '@arp-ts/service-kit';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createToolRegistryApp,
  startToolRegistryServer,
  type RunningToolRegistryServer,
} from '../src/index.js';
import { toolRegistryHandlers } from '../src/msw.js';
import {
  API_CASES,
  errorCodeOf,
  matchesSpec,
  normalize,
  requestInit,
  TEST_BODY_LIMIT,
  testRegistry,
} from './api-cases.js';

const MOCK_URL = 'http://registry.test';
const PREFIXED_URL = 'http://other.test/registry';

const mock = setupServer(
  ...toolRegistryHandlers(MOCK_URL, { registry: testRegistry(), bodyLimitBytes: TEST_BODY_LIMIT }),
  ...toolRegistryHandlers(PREFIXED_URL),
);
let server: RunningToolRegistryServer;
// startToolRegistryServer serves most routes on service-kit's fast lane; this one is express only.
let expressOnly: Server;
let expressUrl: string;

beforeAll(async () => {
  // Requests to the real server are not ours to intercept.
  mock.listen({ onUnhandledRequest: 'bypass' });
  server = await startToolRegistryServer({
    port: 0,
    registry: testRegistry(),
    logger: silentLogger,
    bodyLimitBytes: TEST_BODY_LIMIT,
  });
  expressOnly = createServer(
    createToolRegistryApp({
      registry: testRegistry(),
      logger: silentLogger,
      bodyLimitBytes: TEST_BODY_LIMIT,
    }),
  );
  expressUrl = (await listenWithFallback(expressOnly, { port: 0 })).url;
});

afterAll(async () => {
  mock.close();
  await server?.close();
  await closeServer(expressOnly);
});

interface Answer {
  status: number;
  body: unknown;
  allow: string | null;
  requestId: string | null;
  contentType: string | null;
}

async function answer(baseUrl: string, path: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(`${baseUrl}${path}`, init);
  const text = await res.text();
  return {
    status: res.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    allow: res.headers.get('allow'),
    requestId: res.headers.get('x-request-id'),
    contentType: res.headers.get('content-type'),
  };
}

describe('msw handlers, the fast lane and the express app answer alike', () => {
  it.each(API_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const [real, mocked, viaExpress] = await Promise.all([
      answer(server.url, c.path, requestInit(c)),
      answer(MOCK_URL, c.path, requestInit(c)),
      answer(expressUrl, c.path, requestInit(c)),
    ]);
    expect({ ...real, requestId: null, body: normalize(real.body) }).toEqual({
      ...viaExpress,
      requestId: null,
      body: normalize(viaExpress.body),
    });
    expect(mocked.status).toBe(c.status);
    expect(mocked.status).toBe(real.status);
    expect(normalize(mocked.body)).toEqual(normalize(real.body));
    expect(mocked.allow).toBe(real.allow);
    expect(mocked.contentType).toBe(real.contentType);
    expect(mocked.requestId).toBeTruthy();
    expect(matchesSpec(c.kind, mocked.body)).toBe(true);
    expect(errorCodeOf(mocked.body)).toBe(c.code);
  });

  it("echoes the caller's X-Request-Id and replaces an unsafe one", async () => {
    const given = await answer(MOCK_URL, '/v1/health', { headers: { 'X-Request-Id': 'req-42' } });
    expect(given.requestId).toBe('req-42');
    const unsafe = await answer(MOCK_URL, '/v1/health', { headers: { 'X-Request-Id': 'a b' } });
    expect(unsafe.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('toolRegistryHandlers', () => {
  it('serves the core domain by default, under a base path', async () => {
    const tools = await answer(PREFIXED_URL, '/v1/tools', {});
    expect((tools.body as Array<{ name: string }>).map((t) => t.name)).toEqual([
      'echo',
      'calc',
      'time_now',
    ]);
    const calc = await answer(PREFIXED_URL, '/v1/tool-invocations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        invocation_id: 'inv_m',
        tool_name: 'calc',
        args: { expression: '(19*23)' },
      }),
    });
    expect(calc.body).toMatchObject({ invocation_id: 'inv_m', ok: true, result: { value: 437 } });
  });

  it('answers route.not_found for paths under the base that are not API routes', async () => {
    const missing = await answer(PREFIXED_URL, '/v1/nothing', {});
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: { code: 'route.not_found', message: 'No route for GET /v1/nothing.' },
    });
  });
});
