import express, { type RequestHandler } from 'express';
import { jsonTooDeepError, unsupportedMediaTypeError } from './request-errors.js';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface JsonBodyOptions {
  limitBytes?: number;
  /** Deeper documents are refused before any handler (or JSON.stringify later) recurses into them. */
  maxDepth?: number;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Whether a request announces a body (body-parser's rule). */
export function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  if (typeof length === 'string') return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}

/** Depth of a parsed JSON value, computed without recursion. Stops early past `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Parses JSON bodies with a size limit. Errors surface as HttpErrors that the error handler turns
 * into ErrorEnvelopes: 400 request.invalid_json, 413 request.too_large, 415
 * request.unsupported_media_type, 400 request.invalid_shape for excessive nesting.
 */
export function jsonBody(options: JsonBodyOptions = {}): RequestHandler[] {
  const limit = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const mediaType: RequestHandler = (req, _res, next) => {
    if (
      BODY_METHODS.has(req.method) &&
      hasBody(req.headers) &&
      !req.is(['application/json', '+json'])
    ) {
      next(unsupportedMediaTypeError(req.headers['content-type']));
      return;
    }
    next();
  };
  const parse = express.json({ limit, strict: false, type: ['application/json', '+json'] });
  const depth: RequestHandler = (req, _res, next) => {
    if (req.body !== undefined && jsonDepthExceeds(req.body, maxDepth)) {
      next(jsonTooDeepError(maxDepth));
      return;
    }
    next();
  };
  return [mediaType, parse, depth];
}
