// The HTTP/1.1 socket transport against raw TCP servers, for what node:http servers cannot show:
// answers in tiny writes, bytes after an answer, connections closed at chosen moments, framing
// errors, the socket limit and the idle timeout.
import type { HttpTransportRequest, HttpTransportResponse } from '@arp-ts/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSocketHttpTransport,
  type SocketHttpTransport,
  type SocketHttpTransportOptions,
} from '../src/adapters/http1/socket-http-transport.js';
import { answer, closed, serveRaw, type RawRequest, type RawServer } from './net-servers.js';

const transports: SocketHttpTransport[] = [];

function transportWith(options: SocketHttpTransportOptions = {}): SocketHttpTransport {
  const transport = createSocketHttpTransport(options);
  transports.push(transport);
  return transport;
}

afterEach(() => {
  for (const transport of transports.splice(0)) transport.close();
});

function request(url: string, more: Partial<HttpTransportRequest> = {}): HttpTransportRequest {
  return {
    method: 'GET',
    url,
    headers: { Accept: 'application/json' },
    timeoutMs: 5_000,
    maxResponseBytes: 1_000_000,
    ...more,
  };
}

/** Writes `text` a few bytes at a time, each write in its own turn of the event loop. */
async function dribble(request: RawRequest, text: Buffer, size = 1): Promise<void> {
  for (let at = 0; at < text.length; at += size) {
    if (request.socket.destroyed) return;
    request.socket.write(text.subarray(at, at + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function plain(answer: HttpTransportResponse) {
  return { status: answer.status, body: answer.body, tooLarge: answer.tooLarge };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('createSocketHttpTransport: requests', () => {
  it('sends one well-formed request and reads the answer', async () => {
    const raw = await serveRaw((req) =>
      req.socket.write(answer(200, '{"ok":true}', ['Content-Type: application/json'])),
    );
    const transport = transportWith();
    const got = await transport(request(`${raw.url}/v1/tools/a%20b?x=1#frag`));
    expect(plain(got)).toEqual({ status: 200, body: '{"ok":true}', tooLarge: false });
    expect(got.header('content-type')).toBe('application/json');
    expect(got.header('X-Missing')).toBeUndefined();
    expect(raw.requests[0]?.head).toBe(
      `GET /v1/tools/a%20b?x=1 HTTP/1.1\r\nHost: 127.0.0.1:${raw.port}\r\nAccept: application/json`,
    );
  });

  it('gives a POST body with multi-byte UTF-8 its length in bytes', async () => {
    const raw = await serveRaw((req) => req.socket.write(answer(200, req.body)));
    const body = JSON.stringify({ text: 'héllo ✓ 𝄞' });
    const got = await transportWith()(
      request(raw.url, { method: 'post', body, headers: { 'Content-Type': 'application/json' } }),
    );
    expect(got.body).toBe(body);
    expect(raw.requests[0]?.line).toBe('POST / HTTP/1.1');
    expect(raw.requests[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    expect(raw.requests[0]?.body).toBe(body);
  });

  it('says Content-Length: 0 for a POST without body, and nothing for a GET', async () => {
    const raw = await serveRaw((req) => req.socket.write(answer(204)));
    const transport = transportWith();
    await transport(request(raw.url, { method: 'POST' }));
    await transport(request(raw.url));
    expect(raw.requests.map((r) => r.headers['content-length'])).toEqual(['0', undefined]);
  });

  it('refuses header injection with a TypeError before anything is sent', async () => {
    const raw = await serveRaw((req) => req.socket.write(answer(200)));
    const transport = transportWith();
    const refusals: Array<[Partial<HttpTransportRequest>, string]> = [
      [{ headers: { 'X-A': 'a\r\nX-Injected: 1' } }, 'ERR_INVALID_CHAR'],
      [{ headers: { 'X-A': 'a\nb' } }, 'ERR_INVALID_CHAR'],
      [{ headers: { 'X-A': 'a\0b' } }, 'ERR_INVALID_CHAR'],
      [{ headers: { 'X-A': 'café' } }, 'ERR_INVALID_CHAR'],
      [{ headers: { 'X-A\r\nX-Injected': '1' } }, 'ERR_INVALID_HTTP_TOKEN'],
      [{ headers: { 'X A': '1' } }, 'ERR_INVALID_HTTP_TOKEN'],
      [{ method: 'GET / HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET' }, 'ERR_INVALID_HTTP_TOKEN'],
      [{ headers: { 'Content-Length': '5' } }, 'ERR_HTTP_CONTENT_LENGTH_MISMATCH'],
      [{ headers: { 'Transfer-Encoding': 'chunked' } }, 'ERR_INVALID_ARG_VALUE'],
    ];
    for (const [more, code] of refusals) {
      await expect(transport(request(raw.url, more))).rejects.toMatchObject({
        name: 'TypeError',
        code,
      });
    }
    expect(raw.connections).toHaveLength(0);
    // A caller's own Host and a matching Content-Length are sent instead of ours.
    await transport(
      request(raw.url, {
        method: 'PUT',
        body: 'ab',
        headers: { host: 'registry.example', 'content-length': '2' },
      }),
    );
    expect(raw.requests[0]?.head).toBe(
      'PUT / HTTP/1.1\r\nhost: registry.example\r\ncontent-length: 2',
    );
  });

  it('rejects URLs it cannot send to', async () => {
    const transport = transportWith();
    await expect(transport(request('ftp://127.0.0.1/x'))).rejects.toThrow(TypeError);
    await expect(transport(request('not a url'))).rejects.toThrow(TypeError);
  });

  it('sends https: URLs over node:https, not its own sockets', async () => {
    const raw = await serveRaw(() => undefined);
    await expect(
      transportWith()(request(`https://127.0.0.1:${raw.port}/`, { timeoutMs: 2_000 })),
    ).rejects.toBeDefined();
    // What arrived is a TLS handshake record (0x16), not an HTTP request.
    expect(raw.requests).toHaveLength(0);
    expect(raw.strayBytes[0]?.[0]).toBe(0x16);
  });

  it('joins a repeated header and decodes a body split inside a character', async () => {
    const body = Buffer.from('{"text":"✓✓"}');
    const raw = await serveRaw((req) => {
      const head = `HTTP/1.1 200 OK\r\nX-Multi: a\r\nx-multi: b\r\nContent-Length: ${body.length}\r\n\r\n`;
      void dribble(req, Buffer.concat([Buffer.from(head), body]), 3);
    });
    const got = await transportWith()(request(raw.url));
    expect(got.body).toBe('{"text":"✓✓"}');
    expect(got.header('X-MULTI')).toBe('a, b');
  });
});

describe('createSocketHttpTransport: reading answers', () => {
  it('reads an answer written one byte at a time, chunked or not', async () => {
    const raw = await serveRaw((req) => {
      const text =
        req.line === 'GET /chunked HTTP/1.1'
          ? 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nT: 1\r\n\r\n'
          : answer(200, 'hello');
      void dribble(req, Buffer.from(text));
    });
    const transport = transportWith();
    expect(plain(await transport(request(raw.url)))).toEqual({
      status: 200,
      body: 'hello',
      tooLarge: false,
    });
    expect((await transport(request(`${raw.url}/chunked`))).body).toBe('hello');
    expect(raw.connections).toHaveLength(1); // both answers were complete: the socket was reused
  });

  it('does not reuse a socket that carried bytes past the answer', async () => {
    const raw = await serveRaw((req) => req.socket.write(`${answer(200, 'ok')}HTTP/1.1 200`));
    const transport = transportWith();
    expect((await transport(request(raw.url))).body).toBe('ok');
    expect((await transport(request(raw.url))).body).toBe('ok');
    expect(raw.connections).toHaveLength(2);
    await closed(raw.connections[0] as RawRequest['socket']);
  });

  it('honours Connection: close from the server and from the caller', async () => {
    const raw = await serveRaw((req) =>
      req.socket.write(answer(200, 'ok', req.body === 'server' ? ['Connection: close'] : [])),
    );
    const transport = transportWith();
    await transport(request(raw.url, { method: 'POST', body: 'server' }));
    await transport(
      request(raw.url, { method: 'POST', body: 'caller', headers: { Connection: 'close' } }),
    );
    await transport(request(raw.url, { method: 'POST', body: 'plain' }));
    await transport(request(raw.url, { method: 'POST', body: 'plain' }));
    expect(raw.requests.map((r) => r.connection)).toEqual([0, 1, 2, 2]);
    // The client closed the sockets it would not reuse (the server never did).
    await closed(raw.connections[0] as RawRequest['socket']);
    await closed(raw.connections[1] as RawRequest['socket']);
  });

  it('reads a body delimited by the end of the connection', async () => {
    const raw = await serveRaw((req) => req.socket.end('HTTP/1.1 200 OK\r\n\r\nto the end'));
    const transport = transportWith();
    expect((await transport(request(raw.url))).body).toBe('to the end');
    expect((await transport(request(raw.url))).body).toBe('to the end');
    expect(raw.connections).toHaveLength(2);
  });

  it('answers HEAD without waiting for a body, and reuses the socket', async () => {
    const raw = await serveRaw((req) =>
      req.socket.write(
        req.line.startsWith('HEAD')
          ? 'HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n'
          : answer(200, 'x'),
      ),
    );
    const transport = transportWith();
    expect(plain(await transport(request(raw.url, { method: 'HEAD' })))).toEqual({
      status: 200,
      body: '',
      tooLarge: false,
    });
    expect((await transport(request(raw.url))).body).toBe('x');
    expect(raw.connections).toHaveLength(1);
  });

  it('rejects a malformed answer with ERR_HTTP_PARSE, drops the socket and stays usable', async () => {
    const raw = await serveRaw((req) =>
      req.socket.write(
        req.connection === 0
          ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok'
          : answer(200, 'fine'),
      ),
    );
    const transport = transportWith();
    await expect(transport(request(raw.url))).rejects.toMatchObject({
      code: 'ERR_HTTP_PARSE',
      message: expect.stringMatching(/conflicting Content-Length/),
    });
    await closed(raw.connections[0] as RawRequest['socket']);
    expect((await transport(request(raw.url))).body).toBe('fine');
  });

  it('stops at maxResponseBytes with tooLarge, drops the socket and stays usable', async () => {
    const raw = await serveRaw((req) =>
      req.socket.write(
        req.line.includes('big')
          ? // The second chunk's size crosses the limit; its data never comes.
            'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n'
          : answer(200, '1234567890'),
      ),
    );
    const transport = transportWith();
    expect(plain(await transport(request(`${raw.url}/big`, { maxResponseBytes: 10 })))).toEqual({
      status: 200,
      body: '',
      tooLarge: true,
    });
    expect(plain(await transport(request(raw.url, { maxResponseBytes: 10 })))).toEqual({
      status: 200,
      body: '1234567890',
      tooLarge: false,
    });
    expect(raw.requests.map((r) => r.connection)).toEqual([0, 1]);
    await closed(raw.connections[0] as RawRequest['socket']);
  });

  it('rejects an answer cut short with ECONNRESET', async () => {
    const raw = await serveRaw((req) =>
      req.socket.end(`HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort`),
    );
    await expect(transportWith()(request(raw.url))).rejects.toMatchObject({
      code: 'ECONNRESET',
      message: expect.stringMatching(/mid-answer/),
    });
  });
});

describe('createSocketHttpTransport: stale keep-alive sockets', () => {
  /** Answers every request but the second on connection 0, which `drop` handles instead. */
  async function secondRequestDropped(drop: (req: RawRequest) => void): Promise<RawServer> {
    const raw = await serveRaw((req) => {
      const onFirst = raw.requests.filter((r) => r.connection === 0).length;
      if (req.connection === 0 && onFirst === 2) drop(req);
      else req.socket.write(answer(200, `answer ${raw.requests.length}`));
    });
    return raw;
  }

  it.each([
    ['reset', (req: RawRequest) => req.socket.resetAndDestroy()],
    ['closed', (req: RawRequest) => req.socket.end()],
  ])(
    'sends once more on a fresh socket when a reused one is %s before answering',
    async (_how, drop) => {
      const server = await secondRequestDropped(drop);
      const transport = transportWith();
      const body = JSON.stringify({ n: 'é' });
      expect((await transport(request(server.url))).body).toBe('answer 1');
      const retried = await transport(request(server.url, { method: 'POST', body }));
      expect(retried.body).toBe('answer 3');
      expect(server.requests.map((r) => [r.connection, r.body])).toEqual([
        [0, ''],
        [0, body],
        [1, body],
      ]);
    },
  );

  it('retries only once: a fresh socket that fails is not retried again', async () => {
    const raw = await serveRaw((req) => {
      if (req.connection === 0 && raw.requests.length === 1) req.socket.write(answer(200, 'first'));
      else req.socket.resetAndDestroy();
    });
    const transport = transportWith();
    expect((await transport(request(raw.url))).body).toBe('first');
    await expect(transport(request(raw.url))).rejects.toMatchObject({ code: 'ECONNRESET' });
    // The reused socket, then one fresh one: two tries of the second request, not three.
    expect(raw.requests.map((r) => r.connection)).toEqual([0, 0, 1]);
  });

  it('never retries on a fresh socket', async () => {
    const raw = await serveRaw((req) => req.socket.resetAndDestroy());
    await expect(
      transportWith()(request(raw.url, { method: 'POST', body: '{}' })),
    ).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(raw.requests).toHaveLength(1);
  });

  it('never retries once bytes of an answer arrived', async () => {
    const raw = await serveRaw((req) => {
      if (raw.requests.length === 1) req.socket.write(answer(200, 'first'));
      else {
        req.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\npart');
        setImmediate(() => req.socket.resetAndDestroy());
      }
    });
    const transport = transportWith();
    await transport(request(raw.url));
    await expect(transport(request(raw.url))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(raw.requests).toHaveLength(2);
  });

  it.each([
    ['closed', (req: RawRequest) => req.socket.end(answer(200, 'bye'))],
    [
      'reset',
      (req: RawRequest) => {
        req.socket.write(answer(200, 'bye'));
        setTimeout(() => req.socket.resetAndDestroy(), 5);
      },
    ],
  ])('drops an idle socket the server %s, and opens a new one', async (_how, handle) => {
    const raw = await serveRaw(handle);
    const transport = transportWith();
    await transport(request(raw.url));
    await tick(); // the server's FIN or RST reaches the idle socket
    expect((await transport(request(raw.url))).body).toBe('bye');
    expect(raw.requests.map((r) => r.connection)).toEqual([0, 1]);
  });
});

describe('createSocketHttpTransport: deadlines and cancellation', () => {
  /** Writes a head and half a body, then nothing more. */
  const stall = (req: RawRequest) => {
    if (req.line.includes('stall'))
      req.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf');
    else req.socket.write(answer(200, 'fine'));
  };

  it('rejects with a TimeoutError mid-answer, destroys the socket, and stays usable', async () => {
    const raw = await serveRaw(stall);
    const transport = transportWith();
    await expect(transport(request(`${raw.url}/stall`, { timeoutMs: 50 }))).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'no answer within 50 ms',
    });
    await closed(raw.connections[0] as RawRequest['socket']);
    expect((await transport(request(raw.url))).body).toBe('fine');
    expect(raw.connections).toHaveLength(2);
  });

  it('rejects with the abort reason mid-answer, destroys the socket, and stays usable', async () => {
    const raw = await serveRaw((req) => {
      stall(req);
      if (req.line.includes('stall')) setImmediate(() => controller.abort(new Error('user left')));
    });
    const controller = new AbortController();
    const transport = transportWith();
    await expect(
      transport(request(`${raw.url}/stall`, { signal: controller.signal })),
    ).rejects.toThrow('user left');
    await closed(raw.connections[0] as RawRequest['socket']);
    expect((await transport(request(raw.url))).body).toBe('fine');
  });

  it('rejects at once for a signal already aborted, sending nothing', async () => {
    const raw = await serveRaw(stall);
    const reason = new Error('too late');
    await expect(
      transportWith()(request(raw.url, { signal: AbortSignal.abort(reason) })),
    ).rejects.toBe(reason);
    expect(raw.connections).toHaveLength(0);
  });

  it('settles once: an abort after the answer changes nothing', async () => {
    const raw = await serveRaw((req) => req.socket.write(answer(200, 'done')));
    const controller = new AbortController();
    const transport = transportWith();
    const got = await transport(request(raw.url, { signal: controller.signal, timeoutMs: 30 }));
    controller.abort();
    await tick(); // past the deadline too
    expect(got.body).toBe('done');
    expect((await transport(request(raw.url))).body).toBe('done');
    expect(raw.connections).toHaveLength(1); // the abort did not destroy the idle socket
  });
});

describe('createSocketHttpTransport: the socket pool', () => {
  it('opens at most maxSockets per origin and queues the rest', async () => {
    const raw = await serveRaw((req) =>
      setTimeout(() => req.socket.write(answer(200, req.body)), 5),
    );
    const transport = transportWith({ maxSockets: 4 });
    const bodies = Array.from({ length: 12 }, (_v, i) => `call ${i}`);
    const answers = await Promise.all(
      bodies.map((body) => transport(request(raw.url, { method: 'POST', body }))),
    );
    expect(answers.map((a) => a.body)).toEqual(bodies);
    expect(raw.connections).toHaveLength(4);
  });

  it('takes a call that timed out waiting off the queue', async () => {
    const raw = await serveRaw((req) => {
      if (req.body === 'slow') setTimeout(() => req.socket.write(answer(200, 'slow')), 100);
      else req.socket.write(answer(200, req.body));
    });
    const transport = transportWith({ maxSockets: 1 });
    const slow = transport(request(raw.url, { method: 'POST', body: 'slow' }));
    await expect(
      transport(request(raw.url, { method: 'POST', body: 'queued', timeoutMs: 20 })),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await slow).body).toBe('slow');
    expect((await transport(request(raw.url, { method: 'POST', body: 'next' }))).body).toBe('next');
    expect(raw.requests.map((r) => r.body)).toEqual(['slow', 'next']);
    expect(raw.connections).toHaveLength(1);
  });

  it('closes idle sockets after idleTimeoutMs, and keeps no process alive', async () => {
    const raw = await serveRaw((req) => req.socket.write(answer(200, 'ok')));
    raw.server.on('connection', (socket) => socket.unref());
    const transport = transportWith({ idleTimeoutMs: 100 });
    const ref = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'Timeout')
        .length;
    await tick(); // sockets of earlier tests finish closing
    const before = ref();
    await transport(request(raw.url));
    await transport(request(raw.url)); // within the idle time: the same socket
    expect(raw.connections).toHaveLength(1);
    expect(ref()).toBe(before); // the idle socket and its timer are unref'd
    await closed(raw.connections[0] as RawRequest['socket']); // the client closed it
    await transport(request(raw.url));
    expect(raw.connections).toHaveLength(2);
  });

  it('close() rejects calls in flight and later ones with ERR_SOCKET_POOL_CLOSED', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const raw = await serveRaw(() => arrived()); // never answers
    const transport = transportWith();
    const inFlight = transport(request(raw.url));
    // In flight for sure: the server has the request (a fixed pause lost that race under load).
    await received;
    transport.close();
    await expect(inFlight).rejects.toMatchObject({ code: 'ERR_SOCKET_POOL_CLOSED' });
    await closed(raw.connections[0] as RawRequest['socket']);
    await expect(transport(request(raw.url))).rejects.toMatchObject({
      code: 'ERR_SOCKET_POOL_CLOSED',
    });
  });

  it('refuses bad options', () => {
    expect(() => createSocketHttpTransport({ maxSockets: 0 })).toThrow(RangeError);
    expect(() => createSocketHttpTransport({ idleTimeoutMs: -1 })).toThrow(RangeError);
    expect(() => createSocketHttpTransport({ maxHeadBytes: 10 })).toThrow(RangeError);
  });
});
