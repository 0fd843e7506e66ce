// ToolRegistryClient over an HttpTransport: the same answers as over openapi-fetch + fetch, and
// what a transport is handed and may answer.
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ArpApiError,
  ToolRegistryClient,
  type HttpTransport,
  type HttpTransportRequest,
  type HttpTransportResponse,
  type ToolRegistryClientOptions,
} from '@arp-ts/sdk';
import { echoResult, echoTool, envelope } from './support/fixtures.js';
import { rejection } from './support/rejection.js';

const base = 'http://transport.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** An HttpTransport over the global fetch, so msw answers both paths alike. */
const fetchTransport: HttpTransport = async (request) => {
  const deadline = AbortSignal.timeout(request.timeoutMs);
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal: request.signal ? AbortSignal.any([request.signal, deadline]) : deadline,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const tooLarge = bytes.byteLength > request.maxResponseBytes;
  return {
    status: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    body: tooLarge ? '' : new TextDecoder().decode(bytes),
    tooLarge,
  };
};

const fast = { baseDelayMs: 1, maxDelayMs: 5 };

function clients(options: Partial<ToolRegistryClientOptions> = {}) {
  return {
    viaFetch: new ToolRegistryClient({ baseUrl: base, retry: fast, ...options }),
    viaTransport: new ToolRegistryClient({
      baseUrl: base,
      retry: fast,
      ...options,
      transport: fetchTransport,
    }),
  };
}

/** What a call settled with, comparable across the two paths. */
async function settled(promise: Promise<unknown>): Promise<unknown> {
  try {
    return { value: await promise };
  } catch (err) {
    if (!(err instanceof ArpApiError)) throw err;
    const { status, code, message, details, requestId, retryable } = err;
    return { error: { status, code, message, details, requestId, retryable } };
  }
}

/** Runs a call on both paths and expects the same outcome; answers it. */
async function sameOnBothPaths(
  call: (client: ToolRegistryClient) => Promise<unknown>,
  options: Partial<ToolRegistryClientOptions> = {},
): Promise<unknown> {
  const { viaFetch, viaTransport } = clients(options);
  const expected = await settled(call(viaFetch));
  expect(await settled(call(viaTransport))).toEqual(expected);
  return expected;
}

const invocation = { invocation_id: 'inv_1', tool_id: 'tool_echo', args: { text: 'hi' } };

describe('ToolRegistryClient over an HttpTransport, like over fetch', () => {
  it('answers a valid result and a tool definition', async () => {
    let seenPath = '';
    server.use(
      http.post(`${base}/v1/tool-invocations`, () => HttpResponse.json(echoResult)),
      http.get(`${base}/v1/tools/:id`, ({ request }) => {
        seenPath = new URL(request.url).pathname;
        return HttpResponse.json(echoTool);
      }),
    );
    expect(await sameOnBothPaths((c) => c.invokeTool(invocation))).toEqual({ value: echoResult });
    expect(await sameOnBothPaths((c) => c.getTool('tool echo/1'))).toEqual({ value: echoTool });
    expect(seenPath).toBe('/v1/tools/tool%20echo%2F1');
  });

  it('maps an ErrorEnvelope 4xx with its details and request id', async () => {
    server.use(
      http.post(`${base}/v1/tool-invocations`, () =>
        HttpResponse.json(envelope('tool.invalid_args', 'bad args', { field: 'text' }), {
          status: 422,
          headers: { 'X-Request-Id': 'req-7' },
        }),
      ),
    );
    expect(await sameOnBothPaths((c) => c.invokeTool(invocation))).toEqual({
      error: {
        status: 422,
        code: 'tool.invalid_args',
        message: 'bad args',
        details: { field: 'text' },
        requestId: 'req-7',
        retryable: false,
      },
    });
  });

  it('does not retry a POST on 5xx, and retries a GET on 429 after Retry-After', async () => {
    let posts = 0;
    let gets = 0;
    server.use(
      http.post(`${base}/v1/tool-invocations`, () => {
        posts++;
        return HttpResponse.json(envelope('tool_registry.internal_error', 'boom'), {
          status: 503,
        });
      }),
      http.get(`${base}/v1/tools`, () =>
        ++gets % 2 === 1
          ? HttpResponse.json(envelope('tool_registry.busy', 'later'), {
              status: 429,
              headers: { 'Retry-After': '0' },
            })
          : HttpResponse.json([echoTool]),
      ),
    );
    const failed = await sameOnBothPaths((c) => c.invokeTool(invocation));
    expect(failed).toMatchObject({ error: { status: 503, retryable: true } });
    expect(posts).toBe(2); // once per path
    expect(await sameOnBothPaths((c) => c.listTools())).toEqual({ value: [echoTool] });
    expect(gets).toBe(4);
  });

  it('reports a non-envelope error, a non-JSON body and an off-spec body alike', async () => {
    server.use(
      http.get(`${base}/v1/version`, () => HttpResponse.text('teapot', { status: 418 })),
      http.get(`${base}/v1/health`, () => HttpResponse.text('<html>ok</html>')),
      http.post(`${base}/v1/tool-invocations`, () => HttpResponse.json({ ok: 'yes' })),
    );
    expect(await sameOnBothPaths((c) => c.version())).toMatchObject({
      error: { status: 418, code: 'client.invalid_response', details: { body: 'teapot' } },
    });
    expect(await sameOnBothPaths((c) => c.health())).toMatchObject({
      error: { status: 200, code: 'client.invalid_response', details: { body: '<html>ok</html>' } },
    });
    expect(await sameOnBothPaths((c) => c.invokeTool(invocation))).toMatchObject({
      error: { status: 200, code: 'client.invalid_response' },
    });
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    server.use(
      http.get(`${base}/v1/tools`, () =>
        HttpResponse.json(Array.from({ length: 50 }, () => echoTool)),
      ),
    );
    expect(await sameOnBothPaths((c) => c.listTools(), { maxResponseBytes: 1024 })).toEqual({
      error: expect.objectContaining({
        status: 200,
        code: 'client.invalid_response',
        details: { limit_bytes: 1024 },
      }) as unknown,
    });
  });

  it('times out and is aborted alike', async () => {
    server.use(
      http.post(`${base}/v1/tool-invocations`, async () => {
        await delay('infinite');
        return HttpResponse.json(echoResult);
      }),
    );
    expect(await sameOnBothPaths((c) => c.invokeTool(invocation), { timeoutMs: 30 })).toEqual({
      error: expect.objectContaining({ status: 0, code: 'client.timeout', retryable: true }),
    });
    expect(
      await sameOnBothPaths((c) => c.invokeTool(invocation, { signal: AbortSignal.timeout(20) })),
    ).toEqual({
      error: expect.objectContaining({ status: 0, code: 'client.aborted', retryable: false }),
    });
  });

  it('does not retry a POST after a network error that may have reached the server', async () => {
    let calls = 0;
    server.use(
      http.post(`${base}/v1/tool-invocations`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    expect(await sameOnBothPaths((c) => c.invokeTool(invocation))).toMatchObject({
      error: { status: 0, code: 'client.network_error', retryable: true },
    });
    expect(calls).toBe(2); // once per path
  });
});

/** A transport that records its requests and answers from a script. */
function scripted(answer: (request: HttpTransportRequest) => Promise<HttpTransportResponse>) {
  const requests: HttpTransportRequest[] = [];
  const transport: HttpTransport = (request) => {
    requests.push(request);
    return answer(request);
  };
  return { requests, transport };
}

function answer(status: number, body: string, headers: Record<string, string> = {}) {
  return Promise.resolve<HttpTransportResponse>({
    status,
    header: (name) => headers[name.toLowerCase()],
    body,
  });
}

function refused(): Promise<never> {
  return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
}

describe('what an HttpTransport is handed and may answer', () => {
  it('gets method, URL, headers, the JSON body, the deadline and the size limit', async () => {
    const calledAt: number[] = [];
    const { requests, transport } = scripted(() => {
      calledAt.push(performance.now());
      return answer(200, JSON.stringify(echoResult));
    });
    const client = new ToolRegistryClient({
      baseUrl: `${base}/`,
      token: 't0k',
      headers: { 'X-Tenant': 'acme' },
      maxResponseBytes: 4096,
      timeoutMs: 5_000,
      transport,
    });
    const caller = new AbortController();
    const before = performance.now();
    await client.invokeTool(invocation, { headers: { 'X-Trace': 't1' } });
    await client.invokeTool(invocation, { signal: caller.signal, timeoutMs: 700 });
    const [request, withSignal] = requests;
    expect(request).toMatchObject({
      method: 'POST',
      url: `${base}/v1/tool-invocations`,
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: 'Bearer t0k',
        'X-Tenant': 'acme',
        'X-Trace': 't1',
      },
      maxResponseBytes: 4096,
    });
    expect(JSON.parse(request?.body ?? '')).toEqual(invocation);
    // What is left of 5 s: at most what passed before the transport was called is gone (a fixed
    // margin would fail when a loaded machine stalls the process in between).
    const elapsed = Math.ceil((calledAt[0] ?? Infinity) - before);
    expect(request?.timeoutMs).toBeGreaterThanOrEqual(5_000 - elapsed);
    expect(request?.timeoutMs).toBeLessThanOrEqual(5_000);
    // The caller's own signal, as is; none when they gave none.
    expect(request?.signal).toBeUndefined();
    expect(withSignal?.signal).toBe(caller.signal);
    expect(withSignal?.timeoutMs).toBeLessThanOrEqual(700);
  });

  it('gives a retry what is left of the deadline', async () => {
    let calls = 0;
    const { requests, transport } = scripted(async () => {
      if (++calls === 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return refused();
      }
      return answer(200, JSON.stringify(echoResult));
    });
    // A deadline far beyond the first attempt's 100 ms, so a stalled machine cannot use it up.
    const client = new ToolRegistryClient({
      baseUrl: base,
      retry: fast,
      timeoutMs: 10_000,
      transport,
    });
    await expect(client.invokeTool(invocation)).resolves.toEqual(echoResult);
    expect(requests[1]?.timeoutMs).toBeLessThanOrEqual(9_900);
  });

  it('reports its TimeoutError as the call timing out, and the caller aborting as aborted', async () => {
    // Never answers; keeps the deadline with its own timer and listens to the caller's signal.
    const stuck: HttpTransport = (request) =>
      new Promise<HttpTransportResponse>((_resolve, reject) => {
        const timer = setTimeout(
          () => reject(new DOMException('late', 'TimeoutError')),
          request.timeoutMs,
        );
        request.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(request.signal?.reason);
        });
      });
    const client = new ToolRegistryClient({ baseUrl: base, timeoutMs: 30, transport: stuck });
    expect(await rejection(client.invokeTool(invocation))).toMatchObject({
      status: 0,
      code: 'client.timeout',
      details: { timeout_ms: 30 },
      retryable: true,
    });
    // The caller's own deadline: its reason is a TimeoutError too, yet it is the caller's abort.
    const patient = new ToolRegistryClient({ baseUrl: base, timeoutMs: 10_000, transport: stuck });
    const signal = AbortSignal.timeout(20);
    expect(await rejection(patient.invokeTool(invocation, { signal }))).toMatchObject({
      status: 0,
      code: 'client.aborted',
      retryable: false,
    });
  });

  it('takes a TimeoutError from a transport whose timer fires first as the deadline', async () => {
    const early: HttpTransport = () =>
      new Promise((_resolve, reject) =>
        setTimeout(() => reject(new DOMException('late', 'TimeoutError')), 5),
      );
    const client = new ToolRegistryClient({ baseUrl: base, timeoutMs: 10_000, transport: early });
    expect(await rejection(client.invokeTool(invocation))).toMatchObject({
      code: 'client.timeout',
      details: { timeout_ms: 10_000 },
    });
  });

  it('sends no body on GET and keeps a caller Content-Type of any case', async () => {
    const { requests, transport } = scripted((request) =>
      request.method === 'GET'
        ? answer(200, JSON.stringify(echoTool))
        : answer(200, JSON.stringify(echoResult)),
    );
    const client = new ToolRegistryClient({ baseUrl: base, transport });
    await client.getTool('tool_echo');
    await client.invokeTool(invocation, {
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(requests[0]?.body).toBeUndefined();
    expect(requests[1]?.headers).not.toHaveProperty('Content-Type');
    expect(requests[1]?.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('retries a POST only when the connection was refused', async () => {
    let calls = 0;
    const { transport } = scripted(() =>
      ++calls < 3 ? refused() : answer(200, JSON.stringify(echoResult)),
    );
    const client = new ToolRegistryClient({ baseUrl: base, retry: fast, transport });
    await expect(client.invokeTool(invocation)).resolves.toEqual(echoResult);
    expect(calls).toBe(3);

    const reset = scripted(() =>
      Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    );
    const once = new ToolRegistryClient({ baseUrl: base, retry: fast, transport: reset.transport });
    expect(await rejection(once.invokeTool(invocation))).toMatchObject({
      status: 0,
      code: 'client.network_error',
      details: { cause: 'ECONNRESET' },
    });
    expect(reset.requests).toHaveLength(1);
  });

  it('reports a refused connection after maxAttempts with its cause', async () => {
    const { requests, transport } = scripted(refused);
    const client = new ToolRegistryClient({ baseUrl: base, retry: fast, transport });
    expect(await rejection(client.invokeTool(invocation))).toMatchObject({
      status: 0,
      code: 'client.network_error',
      retryable: true,
      details: { cause: 'ECONNREFUSED' },
    });
    expect(requests).toHaveLength(3);
  });

  it('refuses an answer flagged tooLarge, or longer than the limit anyway', async () => {
    const flagged = scripted(() =>
      Promise.resolve({ status: 200, header: () => undefined, body: '', tooLarge: true }),
    );
    const client = new ToolRegistryClient({
      baseUrl: base,
      maxResponseBytes: 100,
      transport: flagged.transport,
    });
    expect(await rejection(client.listTools())).toMatchObject({
      status: 200,
      code: 'client.invalid_response',
      details: { limit_bytes: 100 },
    });
    const careless = scripted(() => answer(200, JSON.stringify([echoTool, echoTool])));
    const strict = new ToolRegistryClient({
      baseUrl: base,
      maxResponseBytes: 100,
      transport: careless.transport,
    });
    expect(await rejection(strict.listTools())).toMatchObject({
      code: 'client.invalid_response',
      details: { limit_bytes: 100 },
    });
  });

  it('treats a status no fetch could answer as no usable answer', async () => {
    const { transport } = scripted(() => answer(103, ''));
    const client = new ToolRegistryClient({ baseUrl: base, retry: { maxAttempts: 1 }, transport });
    expect(await rejection(client.health())).toMatchObject({
      status: 0,
      code: 'client.network_error',
    });
  });

  it('reads headers only for answers that are not a success', async () => {
    const read: string[] = [];
    const transport: HttpTransport = (request) =>
      Promise.resolve({
        status: request.method === 'GET' ? 404 : 200,
        header(name) {
          read.push(name.toLowerCase());
          return name.toLowerCase() === 'x-request-id' ? 'req-9' : undefined;
        },
        body:
          request.method === 'GET'
            ? JSON.stringify(envelope('tool.not_found', 'no tool'))
            : JSON.stringify(echoResult),
      });
    const client = new ToolRegistryClient({ baseUrl: base, transport });
    await client.invokeTool(invocation);
    expect(read).toEqual([]);
    expect(await rejection(client.getTool('nope'))).toMatchObject({
      status: 404,
      code: 'tool.not_found',
      requestId: 'req-9',
    });
  });

  it('refuses fetch and transport together', () => {
    expect(
      () => new ToolRegistryClient({ baseUrl: base, fetch, transport: fetchTransport }),
    ).toThrow(TypeError);
  });
});
