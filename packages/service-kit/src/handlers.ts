import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError, sendError } from './http-error.js';
import type { Logger } from './logger.js';
import { getRequestId } from './request-id.js';

/** 405 for a known path with a method it does not serve; sets Allow. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, res) => {
    sendError(
      res,
      405,
      'request.method_not_allowed',
      `${req.method} is not allowed here; use ${allow}.`,
      { allowed: [...allowed] },
      { Allow: allow },
    );
  };
}

/** 404 for any path no route matched. */
export function routeNotFound(): RequestHandler {
  return (req, res) => {
    sendError(res, 404, 'route.not_found', `No route for ${req.method} ${req.path}.`);
  };
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
      return new HttpError(400, 'request.invalid_json', 'The request body is not valid JSON.');
    case 'entity.too.large':
      return new HttpError(
        413,
        'request.too_large',
        `The request body is larger than ${e.limit ?? 'the limit of'} bytes.`,
        {
          limit_bytes: e.limit,
        },
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(
        415,
        'request.unsupported_media_type',
        'Unsupported body encoding or charset.',
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new HttpError(400, 'request.invalid_json', 'The request body was incomplete.');
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
    const known = err instanceof HttpError ? err : bodyParserError(err);
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
