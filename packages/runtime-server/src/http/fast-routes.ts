// The routes the fast lane serves without express: creating a run (with or without
// `Prefer: wait`), its status and its result. Everything else under /v1/runs stays on express.
import { pathPattern, type LaneRequest, type LaneRoute, type Logger } from '@arp-ts/service-kit';
import { authenticate, type Verifier } from './auth.js';
import type { RunHandlers } from './run-handlers.js';

export interface FastRunsRoutesOptions {
  handlers: RunHandlers;
  logger: Logger;
  verify?: Verifier;
}

export function fastRunsRoutes(options: FastRunsRoutesOptions): LaneRoute[] {
  const { handlers, logger, verify } = options;
  const subjectOf = async (request: LaneRequest): Promise<string | undefined> =>
    verify ? authenticate(verify, logger, request.headers.authorization) : undefined;
  return [
    {
      method: 'POST',
      match: pathPattern('/v1/runs'),
      handle: async (request) =>
        handlers.create({
          body: request.body,
          headers: request.headers,
          subject: await subjectOf(request),
          client: request.response,
        }),
    },
    {
      method: 'GET',
      match: pathPattern('/v1/runs/:run_id'),
      handle: async (request) => handlers.status(request.params.run_id, await subjectOf(request)),
    },
    {
      method: 'GET',
      match: pathPattern('/v1/runs/:run_id/result'),
      handle: async (request) => handlers.result(request.params.run_id, await subjectOf(request)),
    },
  ];
}
