// The /v1/runs routes: create, list, status, result, cancel and the SSE event stream. Every run id
// from a path or a body is checked before anything else looks at it.
import express, { type Request, type Response, type Router } from 'express';
import type { RunState } from '@arp-ts/sdk';
import {
  HttpError,
  methodNotAllowed,
  type LaneReply,
  methodNotAllowedError,
  type Logger,
} from '@arp-ts/service-kit';
import { isFromPeer } from '../cluster/peer-requests.js';
import { openSseStream, parseLastEventId, type SseOptions } from '../events/sse.js';
import type { RunManager } from '../lifecycle/run-manager.js';
import { InvalidPageTokenError } from '../lifecycle/run-index.js';
import { requireBearer, subjectOf, type Verifier } from './auth.js';
import { checkedRunId, type RunHandlers } from './run-handlers.js';

export interface RunsRoutesOptions {
  manager: RunManager;
  logger: Logger;
  verify?: Verifier;
  sse: SseOptions;
  handlers: RunHandlers;
}

const CANCEL_SUFFIX = ':cancel';
const RUN_STATES: readonly RunState[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

function send(res: Response, reply: LaneReply): void {
  if (reply.headers) for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  res.status(reply.status).json(reply.body);
}

function singleQuery(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new HttpError(400, 'request.invalid_query', `${name} must be given once.`, {
      parameter: name,
    });
  }
  return value;
}

function listQuery(req: Request): { state?: RunState; pageSize: number; pageToken?: string } {
  const state = singleQuery(req, 'state');
  const pageSize = singleQuery(req, 'page_size');
  const pageToken = singleQuery(req, 'page_token');
  const query: { state?: RunState; pageSize: number; pageToken?: string } = {
    pageSize: DEFAULT_PAGE_SIZE,
  };
  if (state !== undefined) {
    const known = RUN_STATES.find((s) => s === state);
    if (!known) {
      throw new HttpError(
        400,
        'request.invalid_query',
        `state must be one of ${RUN_STATES.join(', ')}.`,
        {
          parameter: 'state',
        },
      );
    }
    query.state = known;
  }
  if (pageSize !== undefined) {
    const n = /^\d{1,4}$/.test(pageSize) ? Number(pageSize) : NaN;
    if (!(n >= 1 && n <= MAX_PAGE_SIZE)) {
      throw new HttpError(
        400,
        'request.invalid_query',
        `page_size must be an integer from 1 to ${MAX_PAGE_SIZE}.`,
        {
          parameter: 'page_size',
        },
      );
    }
    query.pageSize = n;
  }
  if (pageToken !== undefined) query.pageToken = pageToken;
  return query;
}

export function runsRoutes(options: RunsRoutesOptions): Router {
  const { manager, handlers } = options;
  const router = express.Router();
  if (options.verify) router.use('/v1/runs', requireBearer(options.verify, options.logger));

  router
    .route('/v1/runs')
    .post(async (req: Request, res: Response) => {
      const reply = await handlers.create({
        body: req.body,
        headers: req.headers,
        subject: subjectOf(res),
        client: res,
      });
      send(res, reply);
    })
    .get((req: Request, res: Response) => {
      let page;
      try {
        page = manager.list({ ...listQuery(req), subject: subjectOf(res) }, isFromPeer(req));
      } catch (err) {
        if (err instanceof InvalidPageTokenError) {
          throw new HttpError(400, 'request.invalid_query', err.message, {
            parameter: 'page_token',
          });
        }
        throw err;
      }
      const body: { runs: typeof page.runs; next_page_token?: string; cursors?: string[] } = {
        runs: page.runs,
      };
      if (page.nextPageToken !== undefined) body.next_page_token = page.nextPageToken;
      if (page.cursors !== undefined) body.cursors = page.cursors;
      res.status(200).json(body);
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/v1/runs/:ref')
    .get((req: Request, res: Response) => {
      send(res, handlers.status(req.params.ref, subjectOf(res)));
    })
    .post(async (req: Request, res: Response) => {
      const ref = String(req.params.ref ?? '');
      if (!ref.endsWith(CANCEL_SUFFIX)) throw methodNotAllowedError(req.method, ['GET']);
      const runId = checkedRunId(ref.slice(0, -CANCEL_SUFFIX.length));
      res.status(200).json(await manager.cancel(runId, subjectOf(res)));
    })
    .all(methodNotAllowed(['GET', 'POST']));

  router
    .route('/v1/runs/:run_id/result')
    .get(async (req: Request, res: Response) => {
      send(res, await handlers.result(req.params.run_id, subjectOf(res)));
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/v1/runs/:run_id/events')
    .get(async (req: Request, res: Response) => {
      const runId = checkedRunId(req.params.run_id);
      const entry = manager.get(runId, subjectOf(res));
      const lastEventId = req.headers['last-event-id'];
      const after = parseLastEventId(typeof lastEventId === 'string' ? lastEventId : undefined);
      const stream = openSseStream(req, res, options.sse);
      let closed = false;
      let stop: () => void = () => undefined;
      stream.onClose(() => {
        closed = true;
        stop();
      });
      try {
        stop = await manager.follow(entry, after ?? -1, stream, () => closed);
        if (closed) stop();
      } catch (err) {
        options.logger.error('event stream failed', { err, run_id: runId });
        stream.end();
      }
    })
    .all(methodNotAllowed(['GET']));

  return router;
}
