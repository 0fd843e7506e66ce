import express, { type Express } from 'express';
import { accessLog } from './access-log.js';
import { errorHandler, routeNotFound } from './handlers.js';
import { jsonBody, type JsonBodyOptions } from './json-body.js';
import type { Logger } from './logger.js';
import { requestId } from './request-id.js';

export interface BaseAppOptions extends JsonBodyOptions {
  logger: Logger;
}

/**
 * An express app with the plumbing every ARP server shares: request ids, access log and JSON
 * bodies. Add routes, then call finishApp() to install the 404 and error handlers.
 */
export function createBaseApp(options: BaseAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(requestId());
  app.use(accessLog(options.logger));
  app.use(jsonBody(options));
  return app;
}

/** Installs the final handlers: 404 route.not_found and the ErrorEnvelope error handler. */
export function finishApp(app: Express, logger: Logger): Express {
  app.use(routeNotFound());
  app.use(errorHandler(logger));
  return app;
}
