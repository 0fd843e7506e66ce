import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { SAFE_REQUEST_ID } from './request-errors.js';

/** Sets X-Request-Id on every response: the caller's when valid, otherwise a new one. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

export function getRequestId(res: Response): string {
  const id: unknown = res.locals.requestId;
  return typeof id === 'string' ? id : '';
}
