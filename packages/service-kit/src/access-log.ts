import type { RequestHandler } from 'express';
import type { Logger } from './logger.js';
import { getRequestId } from './request-id.js';

/** One structured line per finished request (at `info`), with status and duration. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    if (!logger.isEnabled('info')) {
      next();
      return;
    }
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info('request', {
        request_id: getRequestId(res),
        method: req.method,
        path: req.path,
        status: res.statusCode,
        duration_ms: Number(process.hrtime.bigint() - start) / 1e6,
      });
    });
    next();
  };
}
