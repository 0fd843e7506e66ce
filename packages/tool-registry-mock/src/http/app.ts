import type { RequestListener, ServerResponse } from 'node:http';
import {
  createBaseApp,
  createFastLane,
  createLogger,
  finishApp,
  getRequestId,
  methodNotAllowed,
  routeNotFoundError,
  type LaneRoute,
  type Logger,
} from '@arp-ts/service-kit';
import type { Express, RequestHandler } from 'express';
import { createRegistryApi, type ApiResponse, type RegistryApi } from '../api/operations.js';
import { matchRoute, type ApiRoute } from '../api/routes.js';
import { SERVICE_NAME, serviceInfo } from '../api/service-info.js';
import type { ToolRegistry } from '../registry.js';

export interface ToolRegistryAppOptions {
  registry: ToolRegistry;
  /** Structured JSON logger (default: one named arp-tool-registry at LOG_LEVEL, on stderr). */
  logger?: Logger;
  /** Largest accepted request body (default 1 MiB). */
  bodyLimitBytes?: number;
}

type Answer = (
  route: ApiRoute,
  body: unknown,
  requestId: string,
  res: ServerResponse,
) => Promise<ApiResponse | undefined>;

/** Calls the API for one request; undefined when the client hung up (nobody is left to answer). */
function answerer(api: RegistryApi, logger: Logger): Answer {
  return async (route, body, requestId, res) => {
    // A client that hangs up cancels its invocation.
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    try {
      const answer = await api.handle(route, body, {
        signal: controller.signal,
        onHandlerError: (err, info) =>
          logger.error('tool handler failed', {
            err,
            request_id: requestId,
            tool_id: info.toolId,
            invocation_id: info.invocationId,
          }),
      });
      return controller.signal.aborted ? undefined : answer;
    } catch (err) {
      if (controller.signal.aborted) return undefined;
      throw err;
    }
  };
}

function buildApp(answer: Answer, logger: Logger, limitBytes: number | undefined): Express {
  const notAllowed = new Map<readonly string[], RequestHandler>();
  const app = createBaseApp({ logger, limitBytes });
  app.use((req, res, next) => {
    const match = matchRoute(req.path);
    if (!match) {
      next();
      return;
    }
    if (!match.methods.includes(req.method)) {
      let handler = notAllowed.get(match.methods);
      if (!handler) {
        handler = methodNotAllowed(match.methods);
        notAllowed.set(match.methods, handler);
      }
      handler(req, res, next);
      return;
    }
    answer(match.route, req.body, getRequestId(res), res).then((reply) => {
      if (reply) res.status(reply.status).json(reply.body);
    }, next);
  });
  return finishApp(app, logger);
}

/** The lane serves every GET and POST route of the API; HEAD, 405s and 404s stay on express. */
function laneRoutes(answer: Answer): LaneRoute[] {
  return (['GET', 'POST'] as const).map((method) => ({
    method,
    match: (path) => (matchRoute(path)?.methods.includes(method) ? {} : undefined),
    handle: (request) => {
      const match = matchRoute(request.path);
      if (!match) throw routeNotFoundError(method, request.path);
      return answer(match.route, request.body, request.requestId, request.response);
    },
  }));
}

function parts(options: ToolRegistryAppOptions): { answer: Answer; logger: Logger } {
  const logger = options.logger ?? createLogger({ name: SERVICE_NAME });
  return { answer: answerer(createRegistryApi(options.registry, serviceInfo()), logger), logger };
}

/** The ARP v1 Tool Registry API as an express app (no listening socket: see startToolRegistryServer). */
export function createToolRegistryApp(options: ToolRegistryAppOptions): Express {
  const { answer, logger } = parts(options);
  return buildApp(answer, logger, options.bodyLimitBytes);
}

/**
 * The API as a request listener for `http.createServer`: its GET and POST routes are served by
 * service-kit's fast lane (no express on the hot path, same answers), the rest by the express app.
 */
export function createToolRegistryListener(options: ToolRegistryAppOptions): RequestListener {
  const { answer, logger } = parts(options);
  return createFastLane({
    logger,
    ...(options.bodyLimitBytes !== undefined ? { limitBytes: options.bodyLimitBytes } : {}),
    routes: laneRoutes(answer),
    fallback: buildApp(answer, logger, options.bodyLimitBytes),
  });
}
