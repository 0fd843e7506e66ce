import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, sendError } from './http-error.js';
import {
  bodyTooLargeError,
  incompleteBodyError,
  invalidJsonError,
  invalidPathError,
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
    // express answers an undecodable path parameter (`%zz`) with a URIError.
    const known =
      err instanceof HttpError
        ? err
        : err instanceof URIError
          ? invalidPathError()
          : bodyParserError(err);
    if (known) {
      sendError(res, known.status, known.code, known.message, known.details, known.headers);
      return;
    }
    logger.error('unhandled error', {
      err,
      request_id: getRequestId(res),
      method: req.method,
      path: req.path,
    });
    sendError(
      res,
      500,
      'runtime.internal_error',
      'Internal error; see the server log for this request id.',
      {
        request_id: getRequestId(res),
      },
    );
  };
}
