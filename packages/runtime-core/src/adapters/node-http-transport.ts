// The SDK's HttpTransport over node:http / node:https keep-alive agents: the HTTP tool registry
// adapter's default wire. Requests and answers stay plain values (no WHATWG Request, Headers,
// Response or web streams), which is where most of a registry call's client CPU went.
import type { HttpTransport } from '@arp-ts/sdk';
import { bodyText } from './http-answer.js';
import {
  createKeepAliveAgents,
  exchangeOverNodeHttp,
  requestTargets,
} from './node-http-exchange.js';

export interface NodeHttpTransportOptions {
  /** Open sockets per origin (default 256). */
  maxSockets?: number;
}

export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): HttpTransport {
  const agents = createKeepAliveAgents(options.maxSockets ?? 256);
  const targets = requestTargets();
  return async (request) => {
    const answer = await exchangeOverNodeHttp(agents, {
      target: targets.of(request.url),
      method: request.method,
      // No Content-Length of ours: node:http sets it for a body sent in one end() call.
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      timeoutMs: request.timeoutMs,
      maxResponseBytes: request.maxResponseBytes,
    });
    const { response } = answer;
    return {
      status: answer.status,
      // Read on demand: a successful call never asks.
      header(name) {
        const value = response.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      body: answer.tooLarge ? '' : bodyText(answer.chunks, answer.bytes),
      tooLarge: answer.tooLarge,
    };
  };
}
