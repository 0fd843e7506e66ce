import { request as httpRequest } from 'node:http';
import { createLogger, silentLogger } from '@arp-ts/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  coreDomain,
  createToolRegistry,
  startToolRegistryServer,
  type RunningToolRegistryServer,
} from '../src/index.js';
import {
  API_CASES,
  errorCodeOf,
  matchesSpec,
  requestInit,
  TEST_BODY_LIMIT,
  testRegistry,
} from './api-cases.js';

const packageVersion = (
  (await import('../package.json', { with: { type: 'json' } })) as { default: { version: string } }
).default.version;

let server: RunningToolRegistryServer;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const logger = createLogger({
    name: 'arp-tool-registry',
    level: 'error',
    write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>),
  });
  server = await startToolRegistryServer({
    host: '127.0.0.1',
    port: 0,
    registry: testRegistry(),
    logger,
    bodyLimitBytes: TEST_BODY_LIMIT,
  });
});

afterAll(async () => {
  await server?.close();
});

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ res: Response; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { res, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('every endpoint and error code', () => {
  it.each(API_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { res, body } = await call(c.path, requestInit(c));
    expect(res.status).toBe(c.status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(matchesSpec(c.kind, body)).toBe(true);
    expect(errorCodeOf(body)).toBe(c.code);
    if (c.allow) expect(res.headers.get('allow')).toBe(c.allow);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('answers', () => {
  it('reports one health check per domain', async () => {
    const { body } = await call('/v1/health');
    expect(body).toEqual({
      status: 'ok',
      time: expect.any(String),
      checks: [
        {
          name: 'domain:core',
          status: 'ok',
          message: '3 tools loaded',
          details: { tool_count: 3, tool_ids: ['tool_echo', 'tool_calc', 'tool_time_now'] },
        },
        {
          name: 'domain:tricky',
          status: 'ok',
          message: '3 tools loaded',
          details: { tool_count: 3, tool_ids: ['tool_boom', 'tool_refuse', 'tool_slow'] },
        },
      ],
    });
  });

  it('names the service and its version from package.json', async () => {
    const { body } = await call('/v1/version');
    expect(body).toEqual({
      service_name: 'arp-tool-registry',
      service_version: packageVersion,
      supported_api_versions: ['v1'],
    });
  });

  it('lists every tool and gets one by id or name', async () => {
    const { body: tools } = await call('/v1/tools');
    expect((tools as Array<{ tool_id: string }>).map((t) => t.tool_id)).toEqual([
      'tool_echo',
      'tool_calc',
      'tool_time_now',
      'tool_boom',
      'tool_refuse',
      'tool_slow',
    ]);
    const { body: byName } = await call('/v1/tools/calc');
    const { body: byId } = await call('/v1/tools/tool_calc');
    expect(byName).toEqual(byId);
    expect(byId).toMatchObject({ tool_id: 'tool_calc', name: 'calc', source: 'registry_local' });
  });

  it('answers 404 tool.not_found for an unknown tool id', async () => {
    const { body } = await call('/v1/tools/tool_nope');
    expect(body).toEqual({
      error: { code: 'tool.not_found', message: "No tool with id or name 'tool_nope'." },
    });
  });

  it('invokes calc: (19*23) = 437', async () => {
    const { body } = await call('/v1/tool-invocations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        invocation_id: 'inv_437',
        tool_name: 'calc',
        args: { expression: '(19*23)' },
      }),
    });
    expect(body).toEqual({
      invocation_id: 'inv_437',
      ok: true,
      result: { expression: '(19*23)', value: 437 },
      duration_ms: expect.any(Number),
    });
  });

  it('puts the schema errors in details of invalid_shape', async () => {
    const { body } = await call('/v1/tool-invocations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tool_name: 'echo', args: {} }),
    });
    expect(body).toEqual({
      error: {
        code: 'request.invalid_shape',
        message: 'The body is not a valid ToolInvocationRequest.',
        details: {
          errors: [{ path: '$.invocation_id', message: 'is required', keyword: 'required' }],
        },
      },
    });
  });

  it('hides handler internals from the caller but logs them with the request id', async () => {
    const { res, body } = await call('/v1/tool-invocations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-boom-1' },
      body: JSON.stringify({ invocation_id: 'inv_boom', tool_name: 'boom', args: {} }),
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(body)).not.toContain('secret internals');
    expect(body).toMatchObject({
      ok: false,
      error: { code: 'tool.handler_error', message: 'Tool boom failed with an unexpected error.' },
    });
    const line = logLines.find(
      (l) => l.msg === 'tool handler failed' && l.request_id === 'req-boom-1',
    );
    expect(line).toMatchObject({
      level: 'error',
      tool_id: 'tool_boom',
      invocation_id: 'inv_boom',
      err: { message: 'secret internals' },
    });
  });

  it('answers tool.timeout with 200 when a handler passes its deadline', async () => {
    const { res, body } = await call('/v1/tools/slow:invoke', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ invocation_id: 'inv_slow', args: {} }),
    });
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      invocation_id: 'inv_slow',
      ok: false,
      error: { code: 'tool.timeout', details: { timeout_ms: 25 } },
    });
  });

  it('older route: names the tool by the path and generates an invocation id when absent', async () => {
    const { body } = await call('/v1/tools/echo:invoke', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ args: { text: 'legacy' } }),
    });
    expect(body).toEqual({
      invocation_id: expect.stringMatching(/^inv_[0-9a-f-]{36}$/),
      ok: true,
      result: { text: 'legacy' },
      duration_ms: expect.any(Number),
    });
  });

  it('reports the body limit in a 413', async () => {
    const { body } = await call('/v1/tool-invocations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        invocation_id: 'i',
        tool_name: 'echo',
        args: { text: 'x'.repeat(5000) },
      }),
    });
    expect(body).toEqual({
      error: {
        code: 'request.too_large',
        message: `The request body is larger than ${TEST_BODY_LIMIT} bytes.`,
        details: { limit_bytes: TEST_BODY_LIMIT },
      },
    });
  });

  it('answers HEAD like GET, without a body', async () => {
    const res = await fetch(`${server.url}/v1/tools`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('X-Request-Id', () => {
  it("echoes the caller's id and assigns one otherwise", async () => {
    const given = await fetch(`${server.url}/v1/health`, {
      headers: { 'X-Request-Id': 'abc-123' },
    });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const assigned = await fetch(`${server.url}/v1/nope`);
    expect(assigned.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await fetch(`${server.url}/v1/health`, {
      headers: { 'X-Request-Id': 'a b\tc' },
    });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('client disconnects', () => {
  it('aborts the running handler when the client goes away', async () => {
    let started!: () => void;
    let aborted!: () => void;
    const handlerStarted = new Promise<void>((resolve) => (started = resolve));
    const handlerAborted = new Promise<void>((resolve) => (aborted = resolve));
    const registry = createToolRegistry({
      domains: [
        coreDomain,
        {
          name: 'waiting',
          tools: [
            {
              definition: {
                tool_id: 'tool_wait',
                name: 'wait',
                input_schema: { type: 'object' },
                source: 'registry_local',
              },
              handler: (_args, ctx) =>
                new Promise(() => {
                  ctx.signal.addEventListener('abort', () => aborted());
                  started();
                }),
              timeoutMs: 60_000,
            },
          ],
        },
      ],
    });
    const own = await startToolRegistryServer({ port: 0, registry, logger: silentLogger });
    try {
      // node:http rather than fetch: destroying the request closes the socket at once, whereas
      // undici may keep it pooled for seconds and delay close().
      const request = httpRequest(`${own.url}/v1/tool-invocations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
      });
      const failed = new Promise<void>((resolve) => request.on('error', () => resolve()));
      request.end(JSON.stringify({ invocation_id: 'inv_wait', tool_name: 'wait', args: {} }));
      await handlerStarted;
      request.destroy();
      await failed;
      await handlerAborted; // the test times out if the handler is never told
    } finally {
      await own.close();
    }
  });
});
