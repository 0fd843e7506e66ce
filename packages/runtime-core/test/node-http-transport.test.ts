// Both HttpTransports (node:http and our HTTP/1.1 sockets) against small servers on 127.0.0.1:0:
// a ToolRegistryClient over either answers what the same client answers over openapi-fetch and
// the global fetch, so the socket transport is held to exactly the node:http one's behaviour.
import type { ServerResponse } from 'node:http';
import {
  ArpApiError,
  ToolRegistryClient,
  type HttpTransport,
  type ToolDefinition,
  type ToolInvocationRequest,
  type ToolInvocationResult,
  type ToolRegistryClientOptions,
} from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import {
  createHttpToolRegistry,
  createNodeHttpTransport,
  createSocketHttpTransport,
} from '../src/adapters/http-tool-registry.js';
import { createNodeHttpFetch } from '../src/adapters/node-http-fetch.js';
import { serve } from './raw-servers.js';

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const request: ToolInvocationRequest = {
  invocation_id: 'inv_1',
  tool_id: 'tool_echo',
  args: { text: 'héllo' },
};
const result: ToolInvocationResult = {
  invocation_id: 'inv_1',
  ok: true,
  result: { text: 'héllo' },
  duration_ms: 1,
};
const echoTool: ToolDefinition = {
  tool_id: 'tool_echo',
  name: 'echo',
  description: 'Answers its text.',
  input_schema: { type: 'object', properties: { text: { type: 'string' } } },
  source: 'registry_local',
};
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

/** Polls until `predicate` holds; the deadline only bounds a failing test. */
async function until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The three wires of a ToolRegistryClient: the first is the reference, the last the transport. */
function wiresWith(transport: () => HttpTransport) {
  return {
    'global fetch': (): Partial<ToolRegistryClientOptions> => ({ fetch: globalThis.fetch }),
    'node:http fetch': (): Partial<ToolRegistryClientOptions> => ({ fetch: createNodeHttpFetch() }),
    transport: (): Partial<ToolRegistryClientOptions> => ({ transport: transport() }),
  };
}
type Wires = ReturnType<typeof wiresWith>;
type PathName = keyof Wires;
const nodeWires: PathName[] = ['node:http fetch', 'transport'];

const transports: Array<[string, () => HttpTransport]> = [
  ['createNodeHttpTransport', () => createNodeHttpTransport()],
  ['createSocketHttpTransport', () => createSocketHttpTransport()],
];

interface Settled {
  value?: unknown;
  error?: Partial<ArpApiError>;
}

/** What a call settled with. Network errors' messages name the wire, so they are left out. */
async function settled(promise: Promise<unknown>): Promise<Settled> {
  try {
    return { value: await promise };
  } catch (err) {
    if (!(err instanceof ArpApiError)) throw err;
    const { status, code, message, details, requestId, retryable } = err;
    return {
      error: {
        status,
        code,
        ...(code === 'client.network_error' ? {} : { message }),
        details,
        requestId,
        retryable,
      },
    };
  }
}

/** Runs the call on every wire, expects the same outcome on each and answers it. */
async function sameOnEvery(
  paths: Wires,
  url: string,
  call: (client: ToolRegistryClient) => Promise<unknown>,
  options: Partial<ToolRegistryClientOptions> = {},
  only: PathName[] = Object.keys(paths) as PathName[],
): Promise<Settled> {
  const outcomes: Partial<Record<PathName, Settled>> = {};
  for (const name of only) {
    const client = new ToolRegistryClient({
      baseUrl: url,
      retry: fast,
      ...options,
      ...paths[name](),
    });
    outcomes[name] = await settled(call(client));
  }
  const reference = outcomes[only[0] as PathName] as Settled;
  for (const name of only) expect({ [name]: outcomes[name] }).toEqual({ [name]: reference });
  return reference;
}

describe.each(transports)(
  'a ToolRegistryClient over %s, like over fetch',
  (_name, makeTransport) => {
    const paths = wiresWith(makeTransport);
    const sameOnEveryPath = (
      url: string,
      call: (client: ToolRegistryClient) => Promise<unknown>,
      options: Partial<ToolRegistryClientOptions> = {},
      only?: PathName[],
    ) => sameOnEvery(paths, url, call, options, only);

    it('posts the invocation and answers the result', async () => {
      const seen: Array<Record<string, unknown>> = [];
      const { url } = await serve((req, body, res) => {
        seen.push({
          method: req.method,
          url: req.url,
          type: req.headers['content-type'],
          length: req.headers['content-length'],
          accept: req.headers.accept,
          auth: req.headers.authorization,
          body: JSON.parse(body) as unknown,
        });
        json(res, 200, result);
      });
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request), { token: 't0k' })).toEqual({
        value: result,
      });
      const expected = {
        method: 'POST',
        url: '/v1/tool-invocations',
        type: 'application/json',
        length: String(Buffer.byteLength(JSON.stringify(request))),
        accept: 'application/json',
        auth: 'Bearer t0k',
        body: request,
      };
      expect(seen).toEqual([expected, expected, expected]);
    });

    it('gets a tool with its id percent-encoded', async () => {
      const paths: string[] = [];
      const { url } = await serve((req, _body, res) => {
        paths.push(req.url ?? '');
        json(res, 200, echoTool);
      });
      expect(await sameOnEveryPath(url, (c) => c.getTool('tool echo/1'))).toEqual({
        value: echoTool,
      });
      expect(new Set(paths)).toEqual(new Set(['/v1/tools/tool%20echo%2F1']));
    });

    it('maps an ErrorEnvelope 4xx with its details and request id', async () => {
      const { url } = await serve((_req, _body, res) =>
        json(
          res,
          422,
          { error: { code: 'tool.invalid_args', message: 'text: required', details: { f: 1 } } },
          { 'x-request-id': 'req-7' },
        ),
      );
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request))).toEqual({
        error: {
          status: 422,
          code: 'tool.invalid_args',
          message: 'text: required',
          details: { f: 1 },
          requestId: 'req-7',
          retryable: false,
        },
      });
    });

    it('rejects a 5xx once, without retrying the POST', async () => {
      let calls = 0;
      const { url } = await serve((_req, _body, res) => {
        calls++;
        json(res, 503, { error: { code: 'tool_registry.unavailable', message: 'down' } });
      });
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request))).toMatchObject({
        error: { status: 503, code: 'tool_registry.unavailable', retryable: true },
      });
      expect(calls).toBe(3); // once per wire
    });

    it('rejects a 429 on POST and retries a GET after Retry-After', async () => {
      let gets = 0;
      const { url } = await serve((req, _body, res) => {
        const busy = { error: { code: 'tool_registry.busy', message: 'later' } };
        if (req.method === 'POST') json(res, 429, busy, { 'retry-after': '0' });
        else if (++gets % 2 === 1) json(res, 429, busy, { 'retry-after': '0' });
        else json(res, 200, [echoTool]);
      });
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request))).toMatchObject({
        error: { status: 429, code: 'tool_registry.busy', retryable: true },
      });
      expect(await sameOnEveryPath(url, (c) => c.listTools())).toEqual({ value: [echoTool] });
      expect(gets).toBe(6);
    });

    it('times out waiting for the answer and while reading its body', async () => {
      const { url } = await serve((req, _body, res) => {
        if (req.url === '/v1/tools') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('['); // and nothing more
        }
      });
      const timedOut = {
        error: expect.objectContaining({ status: 0, code: 'client.timeout', retryable: true }),
      };
      const options = { timeoutMs: 50, retry: { maxAttempts: 1 } };
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request), options)).toEqual(timedOut);
      expect(await sameOnEveryPath(url, (c) => c.listTools(), options)).toEqual(timedOut);
    });

    it('stops when the caller aborts, before sending and while waiting', async () => {
      let calls = 0;
      const { url } = await serve(() => calls++); // never answers
      const aborted = {
        error: expect.objectContaining({ status: 0, code: 'client.aborted', retryable: false }),
      };
      const early = new AbortController();
      early.abort();
      expect(
        await sameOnEveryPath(url, (c) => c.invokeTool(request, { signal: early.signal })),
      ).toEqual(aborted);
      expect(calls).toBe(0);
      expect(
        await sameOnEveryPath(url, (c) =>
          c.invokeTool(request, { signal: AbortSignal.timeout(30) }),
        ),
      ).toEqual(aborted);
    });

    it('refuses an oversized body, declared or streamed, and stays usable', async () => {
      const { url } = await serve((req, _body, res) => {
        if (req.url === '/v1/health') {
          json(res, 200, { status: 'ok', time: '2026-01-02T03:04:05Z' });
          return;
        }
        res.setHeader('content-type', 'application/json');
        const body = `[${Array.from({ length: 500 }, () => JSON.stringify(echoTool)).join(',')}]`;
        if (req.url === '/v1/tools')
          res.end(body); // with Content-Length
        else {
          res.write(body.slice(0, 10)); // chunked: only reading tells the size
          res.end(body.slice(10));
        }
      });
      const tooLarge = {
        error: expect.objectContaining({
          status: 200,
          code: 'client.invalid_response',
          details: { limit_bytes: 1_000 },
        }),
      };
      const options = { maxResponseBytes: 1_000 };
      expect(await sameOnEveryPath(url, (c) => c.listTools(), options)).toEqual(tooLarge);
      expect(await sameOnEveryPath(url, (c) => c.getTool('x'), options)).toEqual(tooLarge);
      const transport = makeTransport();
      const client = new ToolRegistryClient({ baseUrl: url, maxResponseBytes: 1_000, transport });
      await expect(client.listTools()).rejects.toMatchObject({ code: 'client.invalid_response' });
      await expect(client.health()).resolves.toMatchObject({ status: 'ok' });
    });

    it('reports a body that is not JSON with an excerpt', async () => {
      const { url } = await serve((_req, _body, res) => res.end('<html>ok</html>'));
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request))).toEqual({
        error: expect.objectContaining({
          status: 200,
          code: 'client.invalid_response',
          details: { body: '<html>ok</html>' },
        }),
      });
    });

    it('retries a refused connection, even for a POST, up to maxAttempts', async () => {
      const { url, server } = await serve(() => undefined);
      server.close();
      await new Promise((resolve) => server.once('close', resolve));
      let attempts = 0;
      const inner = makeTransport();
      const counting: HttpTransport = (req) => {
        attempts++;
        return inner(req);
      };
      const refused = {
        error: expect.objectContaining({
          status: 0,
          code: 'client.network_error',
          retryable: true,
          details: { cause: 'ECONNREFUSED' },
        }),
      };
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request))).toEqual(refused);
      const client = new ToolRegistryClient({ baseUrl: url, retry: fast, transport: counting });
      expect(await settled(client.invokeTool(request))).toEqual(refused);
      expect(attempts).toBe(3);
    });

    it('does not repeat a POST whose fresh connection was reset after sending', async () => {
      let calls = 0;
      const { url } = await serve((req) => {
        calls++;
        req.socket.destroy();
      });
      // The cause is named by the wire (undici: UND_ERR_SOCKET; node:http: ECONNRESET).
      for (const name of Object.keys(paths) as PathName[]) {
        const client = new ToolRegistryClient({ baseUrl: url, retry: fast, ...paths[name]() });
        await expect(client.invokeTool(request)).rejects.toMatchObject({
          status: 0,
          code: 'client.network_error',
          retryable: true,
        });
      }
      expect(await sameOnEveryPath(url, (c) => c.invokeTool(request), {}, nodeWires)).toMatchObject(
        {
          error: { details: { cause: 'ECONNRESET' } },
        },
      );
      expect(calls).toBe(5); // once per call
    });

    it('opens a new connection when the server closed an idle keep-alive one', async () => {
      const { url, sockets } = await serve((req, _body, res) => {
        json(res, 200, result);
        res.on('finish', () => req.socket.end()); // closes the idle socket after each answer
      });
      const threeCalls = async (client: ToolRegistryClient) => {
        const answers: unknown[] = [];
        for (let i = 0; i < 3; i++) {
          answers.push(await client.invokeTool(request));
          // The next call only once the client has closed its end too, i.e. it saw the server's
          // close: a fixed 20 ms was too short for undici on a loaded machine (it reused the
          // socket and failed with UND_ERR_SOCKET).
          await until(() => sockets.every((socket) => socket.destroyed));
        }
        return answers;
      };
      expect(await sameOnEveryPath(url, threeCalls)).toEqual({ value: [result, result, result] });
      expect(sockets).toHaveLength(9);
    });

    it.each(nodeWires)(
      'sends again once when a reused socket turns out closed (%s)',
      async (name) => {
        let calls = 0;
        const { url, sockets } = await serve((req, _body, res) => {
          calls++;
          // The second request on the first connection: drop the connection without an answer,
          // as a server does that closes an idle keep-alive socket at that very moment.
          if (calls === 2) req.socket.destroy();
          else json(res, 200, { ...result, invocation_id: `inv_${calls}` });
        });
        const client = new ToolRegistryClient({ baseUrl: url, ...paths[name]() });
        expect(await client.invokeTool(request)).toEqual({ ...result, invocation_id: 'inv_1' });
        expect(await client.invokeTool(request)).toEqual({ ...result, invocation_id: 'inv_3' });
        expect(sockets).toHaveLength(2);
      },
    );
  },
);

describe('createHttpToolRegistry on its default transport', () => {
  it('answers 4xx about the call as ok: false, and rejects 5xx, 429 and network errors', async () => {
    const { url } = await serve((_req, body, res) => {
      const { invocation_id: id } = JSON.parse(body) as { invocation_id: string };
      if (id === 'bad') {
        json(res, 422, {
          error: { code: 'tool.invalid_args', message: 'no', details: { field: 'text' } },
        });
      } else if (id === 'busy') {
        json(res, 429, { error: { code: 'tool_registry.busy', message: 'later' } });
      } else {
        json(res, 500, { error: { code: 'tool_registry.internal_error', message: 'boom' } });
      }
    });
    const registry = createHttpToolRegistry({ baseUrl: url, retry: fast });
    await expect(registry.invokeTool({ ...request, invocation_id: 'bad' })).resolves.toEqual({
      invocation_id: 'bad',
      ok: false,
      error: { code: 'tool.invalid_args', message: 'no', details: { field: 'text' } },
    });
    await expect(registry.invokeTool({ ...request, invocation_id: 'busy' })).rejects.toMatchObject({
      status: 429,
      code: 'tool_registry.busy',
    });
    await expect(registry.invokeTool({ ...request, invocation_id: 'boom' })).rejects.toMatchObject({
      status: 500,
      code: 'tool_registry.internal_error',
    });
    const down = createHttpToolRegistry({
      baseUrl: 'http://127.0.0.1:9',
      retry: { maxAttempts: 1 },
    });
    await expect(down.invokeTool(request)).rejects.toMatchObject({
      code: 'client.network_error',
    });
  });

  it('sends through a transport it is given', async () => {
    const { url } = await serve((_req, _body, res) => json(res, 200, result));
    const inner = createNodeHttpTransport();
    const urls: string[] = [];
    const registry = createHttpToolRegistry({
      baseUrl: url,
      transport: (req) => {
        urls.push(req.url);
        return inner(req);
      },
    });
    await expect(registry.invokeTool(request)).resolves.toEqual(result);
    expect(urls).toEqual([`${url}/v1/tool-invocations`]);
  });
});
