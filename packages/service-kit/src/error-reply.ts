// Which HttpError answers an error thrown while serving a request, shared by the express error
// handler and the fast lane, so both answer a failure with the same status, code and message.
import { HttpError } from './http-error.js';
import { invalidPathError } from './request-errors.js';
import type { Logger } from './logger.js';

export interface FailedRequest {
  requestId: string;
  method: string;
  path: string;
}

/**
 * The HttpError for `err`: itself when it is one, `known(err)` when that maps it, 400
 * request.invalid_path for an undecodable path; anything else is logged and becomes a 500 that
 * names the request id.
 */
export function httpErrorFor(
  err: unknown,
  logger: Logger,
  request: FailedRequest,
  known: (err: unknown) => HttpError | undefined = () => undefined,
): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof URIError) return invalidPathError();
  const mapped = known(err);
  if (mapped) return mapped;
  logger.error('unhandled error', {
    err,
    request_id: request.requestId,
    method: request.method,
    path: request.path,
  });
  return new HttpError(
    500,
    'runtime.internal_error',
    'Internal error; see the server log for this request id.',
    { request_id: request.requestId },
  );
}
