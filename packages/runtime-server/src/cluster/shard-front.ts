// The public request listener of one shard of a cluster. Requests about one run go to the shard
// that owns it (relayed over the peers' private listeners, streams included); listings and
// metrics gather every shard's; everything else, creating runs included, is served here.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  httpErrorFor,
  logWhenFinished,
  requestIdFrom,
  sendHttpError,
  sendJson,
  type Logger,
} from '@arp-ts/service-kit';
import { DEFAULT_PAGE_SIZE } from '../http/runs-routes.js';
import { METRICS_CONTENT_TYPE } from '../metrics.js';
import { isSafeRunId } from '../run-id.js';
import { isShardPage, mergePages } from './merge-listing.js';
import { sumMetrics } from './merge-metrics.js';
import { ShardUnavailableError, type PeerAnswer } from './peer-client.js';
import { shardUnavailableError, type ShardPeers } from './shard-peers.js';

export interface ShardFrontOptions {
  peers: ShardPeers;
  /** This shard's own listener (what its private listener serves). */
  local: RequestListener;
  logger: Logger;
}

/** What the front does with a request. */
export type FrontRoute = { kind: 'run'; runId: string } | { kind: 'list' } | { kind: 'metrics' };

const CANCEL_SUFFIX = ':cancel';
/** Headers a gathered request passes on to every shard (besides this request's id). */
const PASSED_ON = ['authorization'] as const;
/** Headers of a shard's refusal that reach the client with it. */
const REFUSAL_HEADERS = ['content-type', 'www-authenticate', 'retry-after'] as const;

/** An absolute-form request target (`http://host/path?query`, RFC 9112 3.2.2). */
const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/;

/**
 * The path and query of a request target. Servers must accept the absolute form, which express
 * routes by its path; sent on to a peer as it is, it would name the public URL, not the peer.
 */
export function originForm(target: string): string {
  if (target.startsWith('/')) return target;
  const authority = ABSOLUTE_FORM.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * The route of a request as express would match it (paths are case-insensitive and may end in
 * one `/`), or undefined when this shard serves it. A run id that is not valid URL encoding or
 * not a safe id is left to this shard, which answers the error every shard would.
 */
export function frontRouteOf(method: string, target: string): FrontRoute | undefined {
  const url = originForm(target);
  const query = url.indexOf('?');
  const segments = (query < 0 ? url : url.slice(0, query)).split('/');
  if (segments.length > 2 && segments.at(-1) === '') segments.pop();
  const first = segments[1]?.toLowerCase();
  // HEAD is answered as GET without the body (express does so), Content-Length included.
  const reads = method === 'GET' || method === 'HEAD';
  if (segments.length === 2 && first === 'metrics') return reads ? { kind: 'metrics' } : undefined;
  if (first !== 'v1' || segments[2]?.toLowerCase() !== 'runs') return undefined;
  if (segments.length === 3) return reads ? { kind: 'list' } : undefined;
  let ref: string;
  try {
    ref = decodeURIComponent(segments[3] ?? '');
  } catch {
    return undefined;
  }
  const cancel = method === 'POST' && segments.length === 4 && ref.endsWith(CANCEL_SUFFIX);
  const runId = cancel ? ref.slice(0, -CANCEL_SUFFIX.length) : ref;
  return isSafeRunId(runId) ? { kind: 'run', runId } : undefined;
}

function sendRefusal(res: ServerResponse, answer: PeerAnswer, requestId: string): void {
  const headers: Record<string, string | number> = {
    'Content-Length': Buffer.byteLength(answer.body),
    'X-Request-Id': requestId,
  };
  for (const name of REFUSAL_HEADERS) {
    const value = answer.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

export function createShardFront(options: ShardFrontOptions): RequestListener {
  const { peers, local, logger } = options;
  const { shard, client } = peers;

  /**
   * GET `url` of every shard, this one included, with the caller's credentials: their answers,
   * or undefined when a shard refused (its refusal is then the client's answer).
   */
  const gather = async (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): Promise<PeerAnswer[] | undefined> => {
    const headers: Record<string, string> = { 'x-request-id': requestId };
    for (const name of PASSED_ON) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answers = await Promise.all(
      Array.from({ length: shard.count }, (_, i) =>
        client.send(i, peers.urlOf(i), { method: 'GET', path: req.url ?? '/', headers }),
      ),
    );
    const refused = answers.find((a) => a.status !== 200);
    if (!refused) return answers;
    sendRefusal(res, refused, requestId);
    return undefined;
  };

  const list = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const answers = await gather(req, res, id);
    if (!answers) return;
    const pages = answers.map((a) => JSON.parse(a.body) as unknown);
    if (!pages.every(isShardPage)) throw new Error('a shard answered a listing without cursors');
    // Every shard accepted the query, so page_size is valid when present.
    const given = new URL(req.url ?? '/', 'http://shard').searchParams.get('page_size');
    const pageSize = given === null ? DEFAULT_PAGE_SIZE : Number(given);
    sendJson(res, 200, mergePages(pages, pageSize), id);
  };

  const metrics = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const answers = await gather(req, res, id);
    if (!answers) return;
    const text = sumMetrics(answers.map((a) => a.body));
    res.writeHead(200, {
      'Content-Type': METRICS_CONTENT_TYPE,
      'Content-Length': Buffer.byteLength(text),
      'X-Request-Id': id,
    });
    res.end(text);
  };

  const serve = async (
    req: IncomingMessage,
    res: ServerResponse,
    route: FrontRoute,
    id: string,
  ): Promise<void> => {
    if (route.kind === 'run') {
      const owner = peers.ownerOf(route.runId);
      if (owner === shard.index) return local(req, res);
      return client.relay(owner, peers.urlOf(owner), req, res);
    }
    logWhenFinished(logger, req.method ?? 'GET', req.url ?? '/', res, id);
    if (route.kind === 'list') return list(req, res, id);
    return metrics(req, res, id);
  };

  return (req, res) => {
    // Relays and gathers send req.url to the peers: only its path and query may go.
    req.url = originForm(req.url ?? '/');
    const route = frontRouteOf(req.method ?? 'GET', req.url);
    if (!route) {
      local(req, res);
      return;
    }
    // One id for the access log, the shards asked and any error answer.
    const id = requestIdFrom(req.headers['x-request-id']);
    serve(req, res, route, id).catch((err: unknown) => {
      const request = { requestId: id, method: req.method ?? '', path: req.url ?? '' };
      const failure = httpErrorFor(err, logger, request, (e) => {
        if (!(e instanceof ShardUnavailableError)) return undefined;
        logger.warn('a shard is not reachable', { shard: e.shard, err: e.cause });
        return shardUnavailableError(e);
      });
      sendHttpError(res, failure, id);
    });
  };
}
