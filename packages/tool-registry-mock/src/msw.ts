// msw request handlers that serve the Tool Registry API in-process, for tests that use fetch
// without opening a port. Same routes, validation and answers as the express server.
import { requestIdFrom } from '@arp-ts/service-kit';
import { http, HttpResponse, type RequestHandler } from 'msw';
import {
  methodNotAllowedResponse,
  readJsonBody,
  routeNotFoundResponse,
} from './api/fetch-request.js';
import { createRegistryApi } from './api/operations.js';
import { matchRoute } from './api/routes.js';
import { serviceInfo } from './api/service-info.js';
import { createToolRegistry, type ToolRegistry } from './registry.js';

export interface ToolRegistryHandlersOptions {
  /** The registry to serve (default: a new one with the core domain). */
  registry?: ToolRegistry;
  /** Largest accepted request body (default 1 MiB, as the server). */
  bodyLimitBytes?: number;
}

// Serialised like express's res.json (JSON.stringify), so both transports send the same bytes.
function jsonResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Handlers for every request under `baseUrl` (e.g. `http://registry.test`): the API routes, and
 * 404/405 ErrorEnvelopes for anything else, exactly like the HTTP server.
 */
export function toolRegistryHandlers(
  baseUrl: string,
  options: ToolRegistryHandlersOptions = {},
): RequestHandler[] {
  const registry = options.registry ?? createToolRegistry();
  const api = createRegistryApi(registry, serviceInfo());
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const everything = new RegExp(`^${escapeRegExp(base.origin + prefix)}(?:/.*)?$`);

  const handler = http.all(everything, async ({ request }) => {
    const headers: Record<string, string> = {
      'X-Request-Id': requestIdFrom(request.headers.get('x-request-id')),
    };
    const method = request.method;
    const path = new URL(request.url).pathname.slice(prefix.length) || '/';

    // As in the express app, the body is read before routing.
    const read = await readJsonBody(request, { limitBytes: options.bodyLimitBytes });
    if (!read.ok) return jsonResponse(read.response.status, read.response.body, headers);

    const match = matchRoute(path);
    if (!match) {
      const answer = routeNotFoundResponse(method, path);
      return jsonResponse(answer.status, answer.body, headers);
    }
    if (!match.methods.includes(method)) {
      const answer = methodNotAllowedResponse(method, match.methods);
      return jsonResponse(answer.status, answer.body, { ...headers, Allow: answer.allow });
    }
    const answer = await api.handle(match.route, read.body, { signal: request.signal });
    return jsonResponse(answer.status, answer.body, headers);
  });
  return [handler];
}
