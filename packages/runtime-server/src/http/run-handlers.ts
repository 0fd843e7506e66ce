// The hot run routes as transport-neutral functions (create, status, result): the express
// routes and the fast lane both call these, so the two paths cannot drift apart.
import type { IncomingHttpHeaders } from 'node:http';
import { formatValidationIssues, validateRunRequest } from '@arp-ts/sdk';
import { HttpError, type LaneReply } from '@arp-ts/service-kit';
import type { ShardPeers } from '../cluster/shard-peers.js';
import type { Closable, RunManager } from '../lifecycle/run-manager.js';
import { isSafeRunId } from '../run-id.js';
import { parsePreferWait } from './prefer.js';

export interface RunHandlersOptions {
  manager: RunManager;
  /** As one shard of a cluster: runs whose client-chosen id another shard owns are created there. */
  peers?: ShardPeers;
  /** Cap of `Prefer: wait=N`, in seconds. */
  maxWaitSeconds: number;
}

export interface CreateRunCall {
  body: unknown;
  /** The request's headers (Prefer; the caller's credentials when the run belongs elsewhere). */
  headers: IncomingHttpHeaders;
  subject: string | undefined;
  /** The waiting response: a client that goes away ends the wait. */
  client: Closable;
}

export interface RunHandlers {
  create(call: CreateRunCall): Promise<LaneReply>;
  status(runId: unknown, subject: string | undefined): LaneReply;
  result(runId: unknown, subject: string | undefined): Promise<LaneReply>;
}

function invalidRunIdError(): HttpError {
  return new HttpError(
    400,
    'request.invalid_run_id',
    'run_id must be 1 to 128 letters, digits or "._:-", and not "." or "..".',
  );
}

/** The run id of a path, checked before anything looks it up. */
export function checkedRunId(value: unknown): string {
  if (!isSafeRunId(value)) throw invalidRunIdError();
  return value;
}

export function runHandlers(options: RunHandlersOptions): RunHandlers {
  const { manager } = options;
  return {
    async create({ body, headers, subject, client }) {
      if (body === undefined) {
        throw new HttpError(400, 'request.invalid_json', 'A JSON RunRequest body is required.');
      }
      const checked = validateRunRequest(body);
      if (!checked.ok) {
        throw new HttpError(
          400,
          'request.invalid_shape',
          `The body is not a valid RunRequest: ${formatValidationIssues(checked.errors)}`,
          { issues: checked.errors },
        );
      }
      const request = checked.value;
      if (request.run_id !== undefined && !isSafeRunId(request.run_id)) throw invalidRunIdError();
      if (request.run_id !== undefined && options.peers && !options.peers.owns(request.run_id)) {
        return options.peers.createAtOwner(request.run_id, body, headers);
      }
      const wait = parsePreferWait(headers.prefer, options.maxWaitSeconds);
      const { entry, admitted } = await manager.submit(request, { owner: subject });
      if (wait === undefined) return { status: 200, body: admitted };
      await manager.waitForEnd(entry, wait * 1000, client);
      return {
        status: 200,
        body: entry.status(),
        headers: { 'Preference-Applied': `wait=${wait}` },
      };
    },
    status(runId, subject) {
      return { status: 200, body: manager.get(checkedRunId(runId), subject).status() };
    },
    async result(runId, subject) {
      return { status: 200, body: await manager.result(checkedRunId(runId), subject) };
    },
  };
}
