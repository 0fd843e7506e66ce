import {
  createBaseApp,
  createLogger,
  finishApp,
  getRequestId,
  methodNotAllowed,
  type Logger,
} from '@arp-ts/service-kit';
import type { Express, RequestHandler } from 'express';
import { createRegistryApi } from '../api/operations.js';
import { matchRoute } from '../api/routes.js';
import { SERVICE_NAME, serviceInfo } from '../api/service-info.js';
import type { ToolRegistry } from '../registry.js';

export interface ToolRegistryAppOptions {
  registry: ToolRegistry;
  /** Structured JSON logger (default: one named arp-tool-registry at LOG_LEVEL, on stderr). */
  logger?: Logger;
  /** Largest accepted request body (default 1 MiB). */
  bodyLimitBytes?: number;
}

/** The ARP v1 Tool Registry API as an express app (no listening socket: see startToolRegistryServer). */
export function createToolRegistryApp(options: ToolRegistryAppOptions): Express {
  const logger = options.logger ?? createLogger({ name: SERVICE_NAME });
  const api = createRegistryApi(options.registry, serviceInfo());
  const notAllowed = new Map<readonly string[], RequestHandler>();

  const app = createBaseApp({ logger, limitBytes: options.bodyLimitBytes });
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
    // A client that hangs up cancels its invocation; nobody is left to answer.
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    api
      .handle(match.route, req.body, {
        signal: controller.signal,
        onHandlerError: (err, info) =>
          logger.error('tool handler failed', {
            err,
            request_id: getRequestId(res),
            tool_id: info.toolId,
            invocation_id: info.invocationId,
          }),
      })
      .then(
        (answer) => {
          if (!controller.signal.aborted) res.status(answer.status).json(answer.body);
        },
        (err: unknown) => {
          if (!controller.signal.aborted) next(err);
        },
      );
  });
  return finishApp(app, logger);
}
