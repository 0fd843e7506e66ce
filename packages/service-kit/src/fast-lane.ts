// A node:http request listener that serves a service's hottest JSON routes without express and
// hands every other request to the express app. express costs ~230 µs of CPU per request on a
// small VM (it swaps the prototypes of every request and response and walks its router), more
// than a run's own work; the lane answers with the same envelopes, ids, limits and logs.
//
// The lane only takes requests whose every detail it handles exactly like the express app:
// a registered method and path (no percent-escapes, exact case), and for bodies a plain JSON
// media type, UTF-8 and no Content-Encoding. Anything else (gzip bodies, odd charsets, HEAD,
// escaped paths) falls through to express, so both paths answer alike by construction.
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http';
import { logWhenFinished } from './access-log.js';
import { httpErrorFor } from './error-reply.js';
import type { HttpError } from './http-error.js';
import {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_MAX_JSON_DEPTH,
  hasBody,
  jsonDepthExceeds,
  type JsonBodyOptions,
} from './json-body.js';
import type { Logger } from './logger.js';
import {
  bodyTooLargeError,
  incompleteBodyError,
  invalidJsonError,
  jsonTooDeepError,
} from './request-errors.js';
import { requestIdFrom } from './request-id.js';

export interface LaneRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when the request has none. */
  body: unknown;
  requestId: string;
  /** The response being prepared: emits 'close' when the client goes away. */
  response: ServerResponse;
}

export interface LaneReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface LaneRoute {
  method: 'GET' | 'POST';
  /** The path parameters when `path` is this route's, else undefined. */
  match: (path: string) => Record<string, string> | undefined;
  /** The answer; undefined when there is nobody to answer (the client went away). */
  handle: (request: LaneRequest) => LaneReply | undefined | Promise<LaneReply | undefined>;
}

export interface FastLaneOptions extends JsonBodyOptions {
  logger: Logger;
  routes: readonly LaneRoute[];
  /** Serves every request the lane does not take (the express app). */
  fallback: RequestListener;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * A matcher for a path pattern such as `/v1/runs/:run_id/result`. A parameter matches one
 * non-empty segment without `%` (escaped paths are left to express, which decodes them).
 */
export function pathPattern(pattern: string): LaneRoute['match'] {
  const parts = pattern.split('/');
  return (path) => {
    const segments = path.split('/');
    if (segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const segment = segments[i] as string;
      if (part.startsWith(':')) {
        if (segment === '' || segment.includes('%')) return undefined;
        params[part.slice(1)] = segment;
      } else if (part !== segment) {
        return undefined;
      }
    }
    return params;
  };
}

/** True for `application/json` or `*\/*+json`, optionally with `charset=utf-8`, and nothing else. */
function isPlainJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [type = '', ...params] = contentType.split(';');
  const media = type.trim().toLowerCase();
  if (media !== 'application/json' && !(media.endsWith('+json') && media.includes('/'))) {
    return false;
  }
  return params.every((p) => /^\s*charset\s*=\s*"?utf-8"?\s*$/i.test(p));
}

type BodyMode = 'none' | 'json' | 'express';

/**
 * How the lane reads a request's body, by body-parser's rules: a JSON body when the media type
 * is JSON and a length or chunking is announced (even a length of 0, which parses to `{}`), no
 * body when none is announced; anything else (another media type or charset, a Content-Encoding)
 * is left to express.
 */
function bodyModeOf(headers: IncomingHttpHeaders): BodyMode {
  const announced =
    headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
  if (!announced) return 'none';
  const encoding = headers['content-encoding'];
  const plain = encoding === undefined || encoding.trim().toLowerCase() === 'identity';
  if (plain && isPlainJson(headers['content-type'])) return 'json';
  return hasBody(headers) ? 'express' : 'none';
}

/** Sends `body` as JSON with X-Request-Id and Content-Length, in one write. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers?: Record<string, string>,
): void {
  const json = JSON.stringify(body);
  const head: Record<string, string | number> = {
    'X-Request-Id': requestId,
    'Content-Type': JSON_TYPE,
    'Content-Length': Buffer.byteLength(json),
  };
  if (headers) Object.assign(head, headers);
  res.writeHead(status, head);
  res.end(json);
}

/** Sends `err`'s ErrorEnvelope, or cuts the response short when its head has gone out. */
export function sendHttpError(res: ServerResponse, err: HttpError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.status, err.toEnvelope(), requestId, err.headers);
}

/** The parsed body (or an HttpError): `{}` for an empty chunked body, as body-parser does. */
function parseBody(text: string, maxDepth: number): unknown {
  if (text.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw invalidJsonError();
  }
  if (value !== null && typeof value === 'object' && jsonDepthExceeds(value, maxDepth)) {
    throw jsonTooDeepError(maxDepth);
  }
  return value;
}

/** Reads the whole body as UTF-8 within `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(bodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(bodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(
        chunks.length === 1
          ? (chunks[0] as Buffer).toString('utf8')
          : Buffer.concat(chunks, size).toString('utf8'),
      );
    };
    const onAbort = (): void => {
      cleanup();
      reject(incompleteBodyError());
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAbort);
      req.off('error', onAbort);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAbort);
    req.on('error', onAbort);
  });
}

/** The request listener: the lane for its routes, `fallback` for everything else. */
export function createFastLane(options: FastLaneOptions): RequestListener {
  const { logger, routes, fallback } = options;
  const limit = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    route: LaneRoute,
    path: string,
    params: Record<string, string>,
    requestId: string,
    withBody: boolean,
  ): Promise<void> {
    try {
      const body = withBody ? parseBody(await readBody(req, limit), maxDepth) : undefined;
      const reply = await route.handle({
        method: route.method,
        path,
        params,
        headers: req.headers,
        body,
        requestId,
        response: res,
      });
      if (res.headersSent || res.destroyed) return;
      if (reply === undefined) {
        res.destroy();
        return;
      }
      sendJson(res, reply.status, reply.body, requestId, reply.headers);
    } catch (err) {
      const failed = { requestId, method: route.method, path };
      sendHttpError(res, httpErrorFor(err, logger, failed), requestId);
    }
  }

  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const params = route.match(path);
      if (params === undefined) continue;
      const bodyMode = bodyModeOf(req.headers);
      if (bodyMode === 'express') break;
      const requestId = requestIdFrom(req.headers['x-request-id']);
      if (logger.isEnabled('info')) logWhenFinished(logger, req.method, path, res, requestId);
      void serve(req, res, route, path, params, requestId, bodyMode === 'json');
      return;
    }
    fallback(req, res);
  };
}
