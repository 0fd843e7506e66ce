// ToolRegistryPort over HTTP, through the SDK's ToolRegistryClient. Answers the registry gives
// about the request (4xx: unknown tool, invalid args) become tool results with `ok: false`;
// only an unreachable or failing registry (network, timeout, 5xx, 429) rejects, which the
// engine reports as `tool_registry.unavailable`. Tool definitions are cached for a short time,
// so a run does not pay a round trip per step for what rarely changes.
import {
  isArpApiError,
  ToolRegistryClient,
  type ToolDefinition,
  type ToolInvocationResult,
  type ToolRegistryClientOptions,
} from '@arp-ts/sdk';
import type { CallOptions, ToolRegistryPort } from '../ports.js';
import { createSocketHttpTransport } from './http1/socket-http-transport.js';

export { createNodeHttpTransport, type NodeHttpTransportOptions } from './node-http-transport.js';
export { createNodeHttpFetch, type NodeHttpFetchOptions } from './node-http-fetch.js';
export {
  createSocketHttpTransport,
  type SocketHttpTransport,
  type SocketHttpTransportOptions,
} from './http1/socket-http-transport.js';

/**
 * The SDK client's options. Without `fetch` or `transport`, requests go over keep-alive HTTP/1.1
 * sockets (createSocketHttpTransport; https: over node:https); a `fetch` given sends them through
 * openapi-fetch and it.
 */
export interface HttpToolRegistryOptions extends ToolRegistryClientOptions {
  /** How long tool definitions and the tool list are reused, in ms. Default 5000; 0 turns it off. */
  cacheTtlMs?: number;
  /** Time source of the cache (tests). */
  now?: () => number;
}

export interface HttpToolRegistry extends ToolRegistryPort {
  readonly client: ToolRegistryClient;
  /** Forgets cached definitions (e.g. after the registry was redeployed). */
  clearCache(): void;
}

export const DEFAULT_TOOL_CACHE_TTL_MS = 5_000;
const MAX_CACHED_DEFINITIONS = 1_024;

interface Cached<T> {
  value: T;
  expires: number;
}

/** 4xx answers about the call itself; 408 and 429 say "later", so they are not among them. */
function isCallerError(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function invocationIdOf(request: unknown): string {
  const id = (request as { invocation_id?: unknown } | null)?.invocation_id;
  return typeof id === 'string' ? id : '';
}

export function createHttpToolRegistry(options: HttpToolRegistryOptions): HttpToolRegistry {
  const { cacheTtlMs = DEFAULT_TOOL_CACHE_TTL_MS, now = Date.now, ...clientOptions } = options;
  const client = new ToolRegistryClient(
    clientOptions.fetch !== undefined || clientOptions.transport !== undefined
      ? clientOptions
      : // Plain values over our own HTTP/1.1 sockets: no WHATWG Request/Response and none of
        // node:http's client machinery (README.md, HTTP tool registry).
        { ...clientOptions, transport: createSocketHttpTransport() },
  );
  const definitions = new Map<string, Cached<ToolDefinition>>();
  let list: Cached<ToolDefinition[]> | undefined;

  function remember(key: string, value: ToolDefinition): void {
    if (cacheTtlMs <= 0) return;
    if (definitions.size >= MAX_CACHED_DEFINITIONS) definitions.clear();
    definitions.set(key, { value, expires: now() + cacheTtlMs });
  }

  return {
    client,
    clearCache() {
      definitions.clear();
      list = undefined;
    },

    async listTools(call?: CallOptions) {
      if (list && list.expires > now()) return list.value.slice();
      const tools = await client.listTools(call?.signal ? { signal: call.signal } : undefined);
      if (cacheTtlMs > 0) list = { value: tools, expires: now() + cacheTtlMs };
      return tools.slice();
    },

    async getTool(toolIdOrName: string, call?: CallOptions) {
      const cached = definitions.get(toolIdOrName);
      if (cached && cached.expires > now()) return cached.value;
      try {
        const tool = await client.getTool(
          toolIdOrName,
          call?.signal ? { signal: call.signal } : undefined,
        );
        remember(toolIdOrName, tool);
        return tool;
      } catch (err) {
        if (isArpApiError(err) && err.status === 404) return undefined;
        throw err;
      }
    },

    async invokeTool(request, call?: CallOptions): Promise<ToolInvocationResult> {
      try {
        return await client.invokeTool(request, call?.signal ? { signal: call.signal } : undefined);
      } catch (err) {
        if (isArpApiError(err) && isCallerError(err.status)) {
          const result: ToolInvocationResult = {
            invocation_id: invocationIdOf(request),
            ok: false,
            error: { code: err.code, message: err.message },
          };
          if (err.details && result.error) result.error.details = err.details;
          return result;
        }
        throw err;
      }
    },
  };
}
