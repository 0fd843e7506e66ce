// The node:http fetch of the HTTP tool registry adapter, against small servers on 127.0.0.1:0.
import { ToolRegistryClient } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../src/adapters/node-http-fetch.js';
import { serve } from './raw-servers.js';

describe('createNodeHttpFetch', () => {
  it('sends method, headers and body, and answers status, headers and body', async () => {
    const { url } = await serve((req, body, res) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-seen', `${req.method} ${req.url} ${req.headers['x-extra']}`);
      res.statusCode = 201;
      res.statusMessage = 'Made';
      res.end(
        JSON.stringify({ got: JSON.parse(body) as unknown, length: req.headers['content-length'] }),
      );
    });
    const fetch = createNodeHttpFetch();
    const response = await fetch(`${url}/v1/things?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-extra': 'yes' },
      body: JSON.stringify({ a: 'é' }),
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('x-seen')).toBe('POST /v1/things?x=1 yes');
    expect(await response.json()).toEqual({ got: { a: 'é' }, length: '10' });
  });

  it('answers error statuses as responses and bodiless statuses without a body', async () => {
    const { url } = await serve((req, _body, res) => {
      res.statusCode = req.url === '/gone' ? 404 : 204;
      res.end(req.url === '/gone' ? '{"error":{"code":"tool.not_found"}}' : undefined);
    });
    const fetch = createNodeHttpFetch();
    const gone = await fetch(`${url}/gone`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('{"error":{"code":"tool.not_found"}}');
    const empty = await fetch(`${url}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('reuses one keep-alive connection for calls in sequence', async () => {
    const { url, sockets } = await serve((_req, _body, res) => res.end('ok'));
    const fetch = createNodeHttpFetch();
    for (let i = 0; i < 3; i++) expect(await (await fetch(url)).text()).toBe('ok');
    expect(sockets).toHaveLength(1);
  });

  it('retries once on a fresh socket when a reused one was closed under it', async () => {
    let calls = 0;
    const { url, sockets } = await serve((req, _body, res) => {
      calls++;
      // The second request on the first connection: drop the connection without an answer,
      // as a server does that closes an idle keep-alive socket.
      if (calls === 2) req.socket.destroy();
      else res.end(`answer ${calls}`);
    });
    const fetch = createNodeHttpFetch();
    expect(await (await fetch(url)).text()).toBe('answer 1');
    expect(await (await fetch(url)).text()).toBe('answer 3');
    expect(sockets).toHaveLength(2);
  });

  it('rejects like fetch when nothing listens, with the socket error as cause', async () => {
    const { url, server } = await serve(() => undefined);
    server.close();
    await new Promise((resolve) => server.once('close', resolve));
    const failure = await createNodeHttpFetch()(url).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError & { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
  });

  it('rejects with the abort reason, before sending and while waiting', async () => {
    const { url } = await serve(() => undefined); // never answers
    const fetch = createNodeHttpFetch();
    const early = new AbortController();
    early.abort(new Error('not wanted'));
    await expect(fetch(url, { signal: early.signal })).rejects.toThrow('not wanted');

    const late = new AbortController();
    const pending = fetch(url, { signal: late.signal });
    setTimeout(() => late.abort(new Error('took too long')), 20);
    await expect(pending).rejects.toThrow('took too long');
  });

  it('stops reading just past maxResponseBytes', async () => {
    const { url } = await serve((_req, _body, res) => res.end('x'.repeat(100_000)));
    const response = await createNodeHttpFetch({ maxResponseBytes: 1_000 })(url);
    const length = (await response.arrayBuffer()).byteLength;
    expect(length).toBeGreaterThan(1_000);
    expect(length).toBeLessThan(100_000);
  });

  it('lets the SDK report a too large answer as an invalid response, not a network error', async () => {
    const { url } = await serve((_req, _body, res) => {
      res.setHeader('content-type', 'application/json');
      // Chunked (no content-length), so only reading tells the size.
      res.write('[');
      res.end(`${'"x",'.repeat(50_000)}"x"]`);
    });
    const client = new ToolRegistryClient({
      baseUrl: url,
      maxResponseBytes: 1_000,
      fetch: createNodeHttpFetch({ maxResponseBytes: 1_000 }),
    });
    await expect(client.listTools()).rejects.toMatchObject({ code: 'client.invalid_response' });
  });
});
