import type { ErrorRequestHandler, RequestHandler } from 'express';
import { httpErrorFor } from './error-reply.js';
import type { HttpError } from './http-error.js';
import { sendError } from './http-error.js';
import {
  bodyTooLargeError,
  incompleteBodyError,
  invalidJsonError,
  methodNotAllowedError,
  routeNotFoundError,
  unsupportedEncodingError,
} from './request-errors.js';
import type { Logger } from './logger.js';
import { getRequestId } from './request-id.js';

/** 405 for a known path with a method it does not serve; sets Allow. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => next(methodNotAllowedError(req.method, allowed));
}

/** 404 for any path no route matched. */
export function routeNotFound(): RequestHandler {
  return (req, _res, next) => next(routeNotFoundError(req.method, req.path));
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

function bodyParserError(err: unknown): HttpError | undefined {
  if (typeof err !== 'object' || err === null || !('type' in err)) return undefined;
  const e = err as BodyParserError;
  switch (e.type) {
    case 'entity.parse.failed':
      return invalidJsonError();
    case 'entity.too.large':
      return bodyTooLargeError(e.limit);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedEncodingError();
    case 'request.aborted':
    case 'request.size.invalid':
      return incompleteBodyError();
    default:
      return undefined;
  }
}

/** The last middleware: every error becomes an ErrorEnvelope; unexpected ones are logged as 500s. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const failed = { requestId: getRequestId(res), method: req.method, path: req.path };
    const e = httpErrorFor(err, logger, failed, bodyParserError);
    sendError(res, e.status, e.code, e.message, e.details, e.headers);
  };
}
