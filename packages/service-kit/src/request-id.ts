import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { SAFE_REQUEST_ID } from './request-errors.js';

/** The id of a request: the caller's X-Request-Id when it is safe to echo, otherwise a new one. */
export function requestIdFrom(given: string | string[] | null | undefined): string {
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Sets X-Request-Id on every response: the caller's when valid, otherwise a new one. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFrom(req.headers['x-request-id']);
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

export function getRequestId(res: Response): string {
  const id: unknown = res.locals.requestId;
  return typeof id === 'string' ? id : '';
}
