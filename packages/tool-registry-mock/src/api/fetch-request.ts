// Reads a fetch Request (msw) with the same rules that @arp-ts/service-kit applies to express
// requests, answering with service-kit's own request errors, so both transports answer alike
// (the msw parity test checks it).
import type { ErrorEnvelope } from '@arp-ts/sdk';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_MAX_JSON_DEPTH,
  bodyTooLargeError,
  invalidJsonError,
  jsonDepthExceeds,
  jsonTooDeepError,
  methodNotAllowedError,
  routeNotFoundError,
  unsupportedMediaTypeError,
  type HttpError,
} from '@arp-ts/service-kit';
import type { ApiResponse } from './operations.js';
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface BodyLimits {
  limitBytes?: number;
  maxDepth?: number;
}

export type ReadBodyResult =
  { ok: true; body: unknown } | { ok: false; response: ApiResponse & { body: ErrorEnvelope } };

function isJsonMediaType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(type);
}

function fail(error: HttpError): ReadBodyResult {
  return { ok: false, response: { status: error.status, body: error.toEnvelope() } };
}

/** Parses a JSON body: 415 for another media type, 413 over the limit, 400 for bad JSON or depth. */
export async function readJsonBody(
  request: Request,
  limits: BodyLimits = {},
): Promise<ReadBodyResult> {
  const limit = limits.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength === 0) return { ok: true, body: undefined };
  const contentType = request.headers.get('content-type');
  if (!isJsonMediaType(contentType)) {
    if (!BODY_METHODS.has(request.method)) return { ok: true, body: undefined };
    return fail(unsupportedMediaTypeError(contentType));
  }
  if (bytes.byteLength > limit) {
    return fail(bodyTooLargeError(limit));
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail(invalidJsonError());
  }
  if (jsonDepthExceeds(body, maxDepth)) {
    return fail(jsonTooDeepError(maxDepth));
  }
  return { ok: true, body };
}

export function routeNotFoundResponse(method: string, path: string): ApiResponse {
  const error = routeNotFoundError(method, path);
  return { status: error.status, body: error.toEnvelope() };
}

export function methodNotAllowedResponse(
  method: string,
  allowed: readonly string[],
): ApiResponse & { allow: string } {
  const error = methodNotAllowedError(method, allowed);
  return { status: error.status, allow: allowed.join(', '), body: error.toEnvelope() };
}
