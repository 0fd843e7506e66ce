// The errors every ARP server answers for malformed requests, independent of the transport, so an
// express app and an msw handler (fetch Request) answer with the same status, code and message.
import { HttpError } from './http-error.js';

/** A caller's X-Request-Id is echoed only when it is short and plain (safe in logs and headers). */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const invalidJsonError = (): HttpError =>
  new HttpError(400, 'request.invalid_json', 'The request body is not valid JSON.');

export const incompleteBodyError = (): HttpError =>
  new HttpError(400, 'request.invalid_json', 'The request body was incomplete.');

export const bodyTooLargeError = (limitBytes: number | undefined): HttpError =>
  new HttpError(
    413,
    'request.too_large',
    `The request body is larger than ${limitBytes ?? 'the limit of'} bytes.`,
    { limit_bytes: limitBytes },
  );

export const unsupportedMediaTypeError = (contentType: string | null | undefined): HttpError =>
  new HttpError(415, 'request.unsupported_media_type', 'Request bodies must be application/json.', {
    content_type: contentType ?? null,
  });

export const unsupportedEncodingError = (): HttpError =>
  new HttpError(415, 'request.unsupported_media_type', 'Unsupported body encoding or charset.');

export const jsonTooDeepError = (maxDepth: number): HttpError =>
  new HttpError(400, 'request.invalid_shape', `JSON nesting is deeper than ${maxDepth} levels.`, {
    max_depth: maxDepth,
  });

export const invalidPathError = (): HttpError =>
  new HttpError(400, 'request.invalid_path', 'The request path is not valid URL encoding.');

export const routeNotFoundError = (method: string, path: string): HttpError =>
  new HttpError(404, 'route.not_found', `No route for ${method} ${path}.`);

export const methodNotAllowedError = (method: string, allowed: readonly string[]): HttpError => {
  const allow = allowed.join(', ');
  return new HttpError(
    405,
    'request.method_not_allowed',
    `${method} is not allowed here; use ${allow}.`,
    { allowed: [...allowed] },
    { Allow: allow },
  );
};
