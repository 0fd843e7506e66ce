// Reads a fetch Request (msw) with the same rules, and the same ErrorEnvelopes, that
// @arp-ts/service-kit applies to express requests, so both transports answer alike. The express
// side is the reference; the msw parity test fails if these drift apart.
import { errorEnvelope, type ErrorEnvelope } from '@arp-ts/sdk';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_MAX_JSON_DEPTH,
  jsonDepthExceeds,
} from '@arp-ts/service-kit';
import type { ApiResponse } from './operations.js';

// Same rule as service-kit's request-id middleware.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface BodyLimits {
  limitBytes?: number;
  maxDepth?: number;
}

export type ReadBodyResult =
  { ok: true; body: unknown } | { ok: false; response: ApiResponse & { body: ErrorEnvelope } };

/** The caller's X-Request-Id when it is short and plain, otherwise a new one. */
export function requestIdOf(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given !== null && SAFE_REQUEST_ID.test(given) ? given : globalThis.crypto.randomUUID();
}

function isJsonMediaType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(type);
}

function fail(status: number, envelope: ErrorEnvelope): ReadBodyResult {
  return { ok: false, response: { status, body: envelope } };
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
    return fail(
      415,
      errorEnvelope('request.unsupported_media_type', 'Request bodies must be application/json.', {
        content_type: contentType,
      }),
    );
  }
  if (bytes.byteLength > limit) {
    return fail(
      413,
      errorEnvelope('request.too_large', `The request body is larger than ${limit} bytes.`, {
        limit_bytes: limit,
      }),
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return fail(400, errorEnvelope('request.invalid_json', 'The request body is not valid JSON.'));
  }
  if (jsonDepthExceeds(body, maxDepth)) {
    return fail(
      400,
      errorEnvelope('request.invalid_shape', `JSON nesting is deeper than ${maxDepth} levels.`, {
        max_depth: maxDepth,
      }),
    );
  }
  return { ok: true, body };
}

export function routeNotFoundResponse(method: string, path: string): ApiResponse {
  return {
    status: 404,
    body: errorEnvelope('route.not_found', `No route for ${method} ${path}.`),
  };
}

export function methodNotAllowedResponse(
  method: string,
  allowed: readonly string[],
): ApiResponse & { allow: string } {
  const allow = allowed.join(', ');
  return {
    status: 405,
    allow,
    body: errorEnvelope(
      'request.method_not_allowed',
      `${method} is not allowed here; use ${allow}.`,
      { allowed: [...allowed] },
    ),
  };
}
