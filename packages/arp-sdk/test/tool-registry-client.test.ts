import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ToolRegistryClient, type ToolInvocationRequest } from '@arp-ts/sdk';
import { echoResult, echoTool, envelope, health, version } from './support/fixtures.js';
import { rejection } from './support/rejection.js';

const base = 'http://registry.test';
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => new ToolRegistryClient({ baseUrl: `${base}/`, retry: { baseDelayMs: 1 } });

describe('ToolRegistryClient', () => {
  it('reads health and version', async () => {
    server.use(
      http.get(`${base}/v1/health`, () => HttpResponse.json(health)),
      http.get(`${base}/v1/version`, () => HttpResponse.json(version)),
    );
    await expect(client().health()).resolves.toEqual(health);
    await expect(client().version()).resolves.toEqual(version);
  });

  it('lists tools', async () => {
    server.use(http.get(`${base}/v1/tools`, () => HttpResponse.json([echoTool])));
    await expect(client().listTools()).resolves.toEqual([echoTool]);
  });

  it('gets a tool by id, percent-encoding it into the path', async () => {
    let seenPath = '';
    server.use(
      http.get(`${base}/v1/tools/:toolId`, ({ request }) => {
        seenPath = new URL(request.url).pathname;
        return HttpResponse.json(echoTool);
      }),
    );
    await expect(client().getTool('tool echo/1')).resolves.toEqual(echoTool);
    expect(seenPath).toBe('/v1/tools/tool%20echo%2F1');
  });

  it('maps 404 tool.not_found to an ArpApiError with every field', async () => {
    server.use(
      http.get(`${base}/v1/tools/:toolId`, () =>
        HttpResponse.json(envelope('tool.not_found', 'no tool nope', { tool_id: 'nope' }), {
          status: 404,
          headers: { 'X-Request-Id': 'req-42' },
        }),
      ),
    );
    const error = await rejection(client().getTool('nope'));
    expect(error).toMatchObject({
      status: 404,
      code: 'tool.not_found',
      message: 'no tool nope',
      details: { tool_id: 'nope' },
      requestId: 'req-42',
      retryable: false,
    });
  });

  it('posts an invocation with the bearer token and extra headers', async () => {
    let seen: { auth: string | null; extra: string | null; perCall: string | null; body: unknown } =
      {
        auth: null,
        extra: null,
        perCall: null,
        body: null,
      };
    server.use(
      http.post(`${base}/v1/tool-invocations`, async ({ request }) => {
        seen = {
          auth: request.headers.get('authorization'),
          extra: request.headers.get('x-tenant'),
          perCall: request.headers.get('x-trace'),
          body: await request.json(),
        };
        return HttpResponse.json(echoResult);
      }),
    );
    const registry = new ToolRegistryClient({
      baseUrl: base,
      token: 'secret-token',
      headers: { 'X-Tenant': 'acme' },
    });
    const request: ToolInvocationRequest = {
      invocation_id: 'inv_1',
      tool_id: 'tool_echo',
      args: { text: 'hi' },
    };
    await expect(registry.invokeTool(request, { headers: { 'X-Trace': 't1' } })).resolves.toEqual(
      echoResult,
    );
    expect(seen).toEqual({
      auth: 'Bearer secret-token',
      extra: 'acme',
      perCall: 't1',
      body: request,
    });
  });

  it('rejects a 2xx body that is off-spec with client.invalid_response', async () => {
    server.use(
      http.get(`${base}/v1/tools`, () =>
        HttpResponse.json([echoTool, { tool_id: 'x', name: 'x', source: 'elsewhere' }]),
      ),
    );
    const error = await rejection(client().listTools());
    expect(error.code).toBe('client.invalid_response');
    expect(error.status).toBe(200);
    expect(error.message).toContain('$[1]');
  });

  it('rejects a 2xx body that is not JSON with client.invalid_response', async () => {
    server.use(http.get(`${base}/v1/health`, () => HttpResponse.text('<html>ok</html>')));
    const error = await rejection(client().health());
    expect(error).toMatchObject({
      status: 200,
      code: 'client.invalid_response',
      details: { body: '<html>ok</html>' },
    });
  });

  it('reports a non-envelope error body with its status and an excerpt', async () => {
    server.use(
      http.get(`${base}/v1/version`, () => HttpResponse.text('Bad gateway', { status: 418 })),
    );
    const error = await rejection(client().version());
    expect(error).toMatchObject({ status: 418, code: 'client.invalid_response', retryable: false });
    expect(error.details).toEqual({ body: 'Bad gateway' });
  });

  it('refuses an answer larger than maxResponseBytes', async () => {
    server.use(
      http.get(`${base}/v1/tools`, () =>
        HttpResponse.json(Array.from({ length: 50 }, () => echoTool)),
      ),
    );
    const small = new ToolRegistryClient({ baseUrl: base, maxResponseBytes: 1024 });
    const error = await rejection(small.listTools());
    expect(error).toMatchObject({ status: 200, code: 'client.invalid_response' });
    expect(error.details).toEqual({ limit_bytes: 1024 });
  });

  it('refuses a streamed answer that grows past maxResponseBytes', async () => {
    const chunk = new TextEncoder().encode(`[${JSON.stringify(echoTool)},`);
    server.use(
      http.get(`${base}/v1/tools`, () => {
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            // Endless, without Content-Length: only the client's byte count can stop it.
            sent += chunk.byteLength;
            controller.enqueue(chunk);
            if (sent > 1_000_000) controller.close();
          },
        });
        return new HttpResponse(body, { headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const small = new ToolRegistryClient({ baseUrl: base, maxResponseBytes: 4096 });
    const error = await rejection(small.listTools());
    expect(error).toMatchObject({
      code: 'client.invalid_response',
      details: { limit_bytes: 4096 },
    });
  });

  it('refuses ids that cannot be a path segment', async () => {
    await expect(client().getTool('')).rejects.toThrow(TypeError);
    await expect(client().getTool('..')).rejects.toThrow(TypeError);
  });

  it('uses an injected fetch', async () => {
    const urls: string[] = [];
    const registry = new ToolRegistryClient({
      baseUrl: 'http://injected.test',
      fetch: async (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return Response.json(version);
      },
    });
    await expect(registry.version()).resolves.toEqual(version);
    expect(urls).toEqual(['http://injected.test/v1/version']);
  });
});
