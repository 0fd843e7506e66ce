// A fetch over node:http / node:https keep-alive agents: the fetch flavour of the exchange the HTTP
// tool registry adapter uses (node-http-exchange.ts), for a client that must be given a fetch. It
// covers what the SDK's transport needs: a Request in (method, URL, headers, body, signal), a
// fully buffered Response out. The adapter itself now sends through createNodeHttpTransport,
// which skips building Requests and Responses altogether (about half the CPU per call again).
import {
  createKeepAliveAgents,
  exchangeOverNodeHttp,
  requestTargets,
  type NodeHttpAnswer,
  type RequestTarget,
} from './node-http-exchange.js';

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

function responseOf(answer: NodeHttpAnswer): Response {
  const { status } = answer;
  const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(answer.chunks, answer.bytes);
  return new Response(body, {
    status,
    statusText: answer.statusMessage,
    headers: headersOf(answer.response.rawHeaders),
  });
}

export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const agents = createKeepAliveAgents(options.maxSockets ?? 256);
  const limit = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const targets = requestTargets();

  return async (input, init) => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    const { signal } = request;
    signal.throwIfAborted();
    let target: RequestTarget;
    try {
      target = targets.of(request.url);
    } catch (err) {
      throw fetchFailed(err);
    }
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== undefined) headers['content-length'] = String(body.length);
    let answer: NodeHttpAnswer;
    try {
      answer = await exchangeOverNodeHttp(agents, {
        target,
        method: request.method,
        headers,
        body,
        signal,
        maxResponseBytes: limit,
      });
    } catch (err) {
      throw signal.aborted ? err : fetchFailed(err);
    }
    try {
      return responseOf(answer);
    } catch (err) {
      throw fetchFailed(err); // e.g. a status outside 200..599
    }
  };
}
