// Raw TCP servers on 127.0.0.1:0 for the HTTP/1.1 transport's tests: they read requests
// (head, and a body by Content-Length) and let the test write whatever bytes it likes back, which
// node:http servers cannot (split writes, extra bytes, broken framing, closing at chosen moments).
// Servers started in a test are closed after it.
import net, { type AddressInfo, type Socket } from 'node:net';
import { afterEach } from 'vitest';

export interface RawRequest {
  /** The head as received, request line to the blank line (excluded). */
  head: string;
  /** The request line, e.g. `GET /v1/tools HTTP/1.1`. */
  line: string;
  /** Header fields with lower-case names (a repeated one keeps its last value). */
  headers: Record<string, string>;
  body: string;
  /** Which connection it came on, counting from 0. */
  connection: number;
  socket: Socket;
}

export interface RawServer {
  url: string;
  port: number;
  server: net.Server;
  /** Server sides of all connections, in the order they came. */
  connections: Socket[];
  requests: RawRequest[];
  /** Bytes a connection sent that were not an HTTP/1.1 request (e.g. a TLS hello). */
  strayBytes: Buffer[];
}

export type RawHandler = (request: RawRequest) => void;

const servers: RawServer[] = [];

/** Reads one request off `buffer`, or undefined while it is incomplete. */
function takeRequest(
  buffer: Buffer,
): { head: string; body: Buffer; rest: Buffer; headers: Record<string, string> } | undefined {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = buffer.toString('latin1', 0, end);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? '0');
  if (buffer.length < end + 4 + length) return undefined;
  return {
    head,
    headers,
    body: buffer.subarray(end + 4, end + 4 + length),
    rest: buffer.subarray(end + 4 + length),
  };
}

export async function serveRaw(handler: RawHandler): Promise<RawServer> {
  const connections: Socket[] = [];
  const requests: RawRequest[] = [];
  const strayBytes: Buffer[] = [];
  const server = net.createServer((socket) => {
    const connection = connections.push(socket) - 1;
    socket.setNoDelay(true);
    socket.on('error', () => undefined); // resets are part of several tests
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      if (!/^[A-Z]/.test(pending.toString('latin1', 0, 1))) {
        strayBytes.push(pending);
        pending = Buffer.alloc(0);
        return;
      }
      for (let taken = takeRequest(pending); taken; taken = takeRequest(pending)) {
        pending = taken.rest;
        const request: RawRequest = {
          head: taken.head,
          line: taken.head.slice(0, taken.head.indexOf('\r\n')),
          headers: taken.headers,
          body: taken.body.toString('utf8'),
          connection,
          socket,
        };
        requests.push(request);
        handler(request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const raw = { url: `http://127.0.0.1:${port}`, port, server, connections, requests, strayBytes };
  servers.push(raw);
  return raw;
}

/** A complete answer with a Content-Length body (UTF-8). */
export function answer(status: number, body = '', fields: string[] = []): string {
  const head = [`HTTP/1.1 ${status} X`, ...fields, `Content-Length: ${Buffer.byteLength(body)}`];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

/** Resolves once the server side of a connection has closed. */
export function closed(socket: Socket): Promise<void> {
  return socket.closed
    ? Promise.resolve()
    : new Promise((resolve) => socket.once('close', () => resolve()));
}

afterEach(async () => {
  for (const { server, connections } of servers.splice(0)) {
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
