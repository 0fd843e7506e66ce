// The SDK's HttpTransport as HTTP/1.1 over keep-alive node:net sockets: the HTTP tool registry
// adapter's default wire for http: URLs. node:http's client (ClientRequest, OutgoingMessage,
// Agent bookkeeping, IncomingMessage streams) costs a registry call more CPU than the call's
// own work; this one writes each request in one socket.write and parses the answer with a small
// strict parser, at about half the client CPU per call. https: URLs go over node:https
// (createNodeHttpTransport): TLS is not this transport's business.
import type { HttpTransport, HttpTransportRequest, HttpTransportResponse } from '@arp-ts/sdk';
import { createNodeHttpTransport } from '../node-http-transport.js';
import { Exchange } from './exchange.js';
import { requestText, type RequestText } from './request-head.js';
import { UrlMemo } from '../url-memo.js';
import { socketTargetOf, type SocketTarget } from './request-target.js';
import { DEFAULT_MAX_HEAD_BYTES } from './response-parser.js';
import { SocketPool, type SocketPoolOptions } from './socket-pool.js';

export interface SocketHttpTransportOptions extends SocketPoolOptions {
  /** Bytes of an answer's status line and header fields at most (default 16 KiB). */
  maxHeadBytes?: number;
}

export interface SocketHttpTransport extends HttpTransport {
  /** Destroys every socket; calls in flight reject with code ERR_SOCKET_POOL_CLOSED. */
  close(): void;
}

export function createSocketHttpTransport(
  options: SocketHttpTransportOptions = {},
): SocketHttpTransport {
  const pool = new SocketPool(options);
  const maxHeadBytes = options.maxHeadBytes ?? DEFAULT_MAX_HEAD_BYTES;
  if (!Number.isInteger(maxHeadBytes) || maxHeadBytes < 64) {
    throw new RangeError(`maxHeadBytes must be an integer >= 64, got ${maxHeadBytes}`);
  }
  const targets = new UrlMemo(socketTargetOf);
  let secure: HttpTransport | undefined;

  function send(request: HttpTransportRequest): Promise<HttpTransportResponse> {
    const { signal } = request;
    if (signal?.aborted) return Promise.reject(signal.reason);
    let target: SocketTarget;
    let text: RequestText;
    try {
      target = targets.of(request.url);
      if (target.secure) {
        secure ??= createNodeHttpTransport({ maxSockets: pool.maxSockets });
        return secure(request);
      }
      if (Number.isNaN(request.timeoutMs)) throw new TypeError('timeoutMs is not a number');
      text = requestText(request, target);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<HttpTransportResponse>((resolve, reject) => {
      new Exchange(pool, target, request, text, maxHeadBytes, resolve, reject).start();
    });
  }

  return Object.assign(send, { close: () => pool.close() });
}
