import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';
import { getRequestId } from './request-id.js';

/** One structured line per finished request (at `info`), with status and duration. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (logger.isEnabled('info')) {
      logWhenFinished(logger, req.method, req.path, res, getRequestId(res));
    }
    next();
  };
}

/** Logs the access line of `res` once it has been sent. */
export function logWhenFinished(
  logger: Logger,
  method: string,
  path: string,
  res: ServerResponse,
  requestId: string,
): void {
  const start = process.hrtime.bigint();
  res.on('finish', () => {
    logger.info('request', {
      request_id: requestId,
      method,
      path,
      status: res.statusCode,
      duration_ms: Number(process.hrtime.bigint() - start) / 1e6,
    });
  });
}
