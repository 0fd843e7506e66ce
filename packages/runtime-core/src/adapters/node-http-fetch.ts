// A fetch over node:http / node:https keep-alive agents, for the HTTP tool registry adapter. Node
// 20's global fetch builds several web streams per call: against a registry answering small JSON
// bodies it costs the runtime about 750 µs of CPU per invocation on a 2-core VM, this about 450 µs
// (bench/README.md, profile notes). It covers what the SDK's transport needs: a Request in
// (method, URL, headers, body, signal), a fully buffered Response out. Redirects are not followed
// (a registry API has none; a 3xx reaches the SDK as an error answer).
import http from 'node:http';
import https from 'node:https';

export interface NodeHttpFetchOptions {
  /** Open sockets per origin (default 256). */
  maxSockets?: number;
  /**
   * Bytes of a response body read at most (default 16 MiB, the SDK's limit). Reading stops just
   * past it and the Response holds what was read, so the SDK's own size check reports it.
   */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

// Statuses whose responses have no body (a Response cannot be built with one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Errors of a keep-alive socket the server had already closed when the request went out. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Rejections look like the global fetch's: a TypeError whose cause is the socket error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function headersOf(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    headers.append(raw[i] as string, raw[i + 1] as string);
  }
  return headers;
}

interface Exchange {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  signal: AbortSignal;
}

export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 256;
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };

  function send(exchange: Exchange, retryStaleSocket: boolean): Promise<Response> {
    const { url, signal } = exchange;
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      let answered = false;
      const request = transport.request(
        url,
        {
          method: exchange.method,
          headers: exchange.headers,
          agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'],
          signal,
        },
        (response) => {
          answered = true;
          const chunks: Buffer[] = [];
          let total = 0;
          const settle = (): void => {
            const status = response.statusCode ?? 0;
            try {
              const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks, total);
              resolve(
                new Response(body, {
                  status,
                  statusText: response.statusMessage ?? '',
                  headers: headersOf(response.rawHeaders),
                }),
              );
            } catch (err) {
              reject(fetchFailed(err)); // e.g. a status outside 200..599
            }
          };
          response.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            total += chunk.length;
            if (total > limit) {
              // Enough to know it is too large: the SDK's size check rejects what we hand over.
              response.destroy();
              settle();
            }
          });
          response.on('error', (err) => reject(signal.aborted ? signal.reason : fetchFailed(err)));
          response.on('end', settle);
        },
      );
      request.on('error', (err) => {
        if (signal.aborted) {
          reject(signal.reason);
          return;
        }
        // The keep-alive race: the server closed an idle socket just as we reused it, so the
        // request met a reset before any answer. Retried once on a fresh socket, as Node's
        // documentation of request.reusedSocket recommends (a server that died while handling
        // it would see it twice; a failure on a fresh socket is never retried).
        const code = errorCode(err);
        if (
          retryStaleSocket &&
          request.reusedSocket &&
          !answered &&
          code &&
          STALE_SOCKET_CODES.has(code)
        ) {
          send(exchange, false).then(resolve, reject);
          return;
        }
        reject(fetchFailed(err));
      });
      request.end(exchange.body);
    });
  }

  return async (input, init) => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    request.signal.throwIfAborted();
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw fetchFailed(new Error(`unsupported protocol ${url.protocol}`));
    }
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== undefined) headers['content-length'] = String(body.length);
    return send({ url, method: request.method, headers, body, signal: request.signal }, true);
  };
}
