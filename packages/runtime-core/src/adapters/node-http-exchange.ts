// One HTTP exchange over node:http / node:https keep-alive agents, the body buffered up to a
// limit. Shared by the HTTP tool registry adapter's transport (node-http-transport.ts) and its
// fetch flavour (node-http-fetch.ts), so both keep the same socket reuse, stale-socket retry,
// cancellation and size cap. Redirects are not followed (a registry API has none).
import http from 'node:http';
import https from 'node:https';
import { urlToHttpOptions } from 'node:url';
import { isStaleSocketError } from './http-answer.js';
import { httpUrl, UrlMemo } from './url-memo.js';

export interface NodeHttpAgents {
  'http:': http.Agent;
  'https:': https.Agent;
}

export function createKeepAliveAgents(maxSockets: number): NodeHttpAgents {
  return {
    'http:': new http.Agent({ keepAlive: true, maxSockets }),
    'https:': new https.Agent({ keepAlive: true, maxSockets }),
  };
}

/** Where a request goes, as node:http takes it: host, port, path with query, auth. */
export interface RequestTarget {
  secure: boolean;
  options: Readonly<http.RequestOptions>;
}

/** Parses an http(s) URL into a RequestTarget; a TypeError for any other scheme. */
export function requestTargetOf(url: string): RequestTarget {
  const parsed = httpUrl(url);
  return { secure: parsed.protocol === 'https:', options: urlToHttpOptions(parsed) };
}

/** A memo of the RequestTargets of URLs already seen. */
export const requestTargets = (): UrlMemo<RequestTarget> => new UrlMemo(requestTargetOf);

export interface NodeHttpRequest {
  target: RequestTarget;
  method: string;
  /** Sent as given; node:http adds Content-Length for the body (sent in one end() call). */
  headers: Record<string, string>;
  body: Buffer | string | undefined;
  /** Once it aborts: stop, and reject with its reason. */
  signal?: AbortSignal | undefined;
  /** Past this many ms: stop, and reject with a DOMException named TimeoutError. */
  timeoutMs?: number | undefined;
  /** Bytes of body read at most: reading stops at the first chunk past it. */
  maxResponseBytes: number;
}

export interface NodeHttpAnswer {
  status: number;
  statusMessage: string;
  response: http.IncomingMessage;
  /** What was read of the body; past the limit it ends with the chunk that crossed it. */
  chunks: Buffer[];
  bytes: number;
  tooLarge: boolean;
}

/**
 * Sends one request and resolves with the buffered answer, whatever its status. Rejects with the
 * signal's reason as soon as it aborts, with a TimeoutError past timeoutMs, else with the socket
 * error itself (its `code`, e.g. ECONNREFUSED, tells whether the request can have reached the
 * server).
 */
export function exchangeOverNodeHttp(
  agents: NodeHttpAgents,
  request: NodeHttpRequest,
  retryStaleSocket = true,
): Promise<NodeHttpAnswer> {
  const { target, signal, timeoutMs } = request;
  return new Promise<NodeHttpAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let response: http.IncomingMessage | undefined;
    let stopped = false;
    const stop = (reason: unknown): void => {
      stopped = true;
      done();
      reject(reason);
      response?.destroy();
      outgoing.destroy();
    };
    // One listener of our own rather than node:http's `signal` option, which also tracks the
    // request's end with stream.finished: measurably more CPU per call.
    const onAbort = (): void => stop(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => stop(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
            timeoutMs,
          );
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    };

    const onResponse = (incoming: http.IncomingMessage): void => {
      response = incoming;
      const limit = request.maxResponseBytes;
      const chunks: Buffer[] = [];
      let bytes = 0;
      const settle = (tooLarge: boolean): void => {
        done();
        resolve({
          status: incoming.statusCode ?? 0,
          statusMessage: incoming.statusMessage ?? '',
          response: incoming,
          chunks,
          bytes,
          tooLarge,
        });
      };
      incoming.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes > limit) {
          // Enough to know it is too large; the socket cannot be reused mid-body.
          incoming.destroy();
          settle(true);
        }
      });
      incoming.on('error', (err) => {
        done();
        reject(err);
      });
      incoming.on('end', () => settle(false));
    };

    const options = {
      ...target.options,
      method: request.method,
      headers: request.headers,
      agent: target.secure ? agents['https:'] : agents['http:'],
    };
    const outgoing = target.secure
      ? https.request(options, onResponse)
      : http.request(options, onResponse);
    outgoing.on('error', (err) => {
      done();
      if (stopped) return; // already rejected with the reason
      // The keep-alive race: the server closed an idle socket just as we reused it, so the
      // request met a reset before any answer. Retried once on a fresh socket, as Node's
      // documentation of request.reusedSocket recommends (a server that died while handling
      // it would see it twice; a failure on a fresh socket is never retried).
      if (
        retryStaleSocket &&
        outgoing.reusedSocket &&
        response === undefined &&
        isStaleSocketError(err)
      ) {
        const left =
          timeoutMs === undefined
            ? undefined
            : Math.max(0, timeoutMs - Math.ceil(performance.now() - started));
        exchangeOverNodeHttp(agents, { ...request, timeoutMs: left }, false).then(resolve, reject);
        return;
      }
      reject(err);
    });
    outgoing.end(request.body);
  });
}
