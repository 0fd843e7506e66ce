// One shard's view of the others: who owns a run, where a shard listens, and creating a run
// whose client-chosen id another shard owns.
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError, type LaneReply } from '@arp-ts/service-kit';
import { parsePreferWait } from '../http/prefer.js';
import { PeerClient, ShardUnavailableError } from './peer-client.js';
import { checkShard, shardOf, type ShardContext } from './shards.js';

/** Headers of a create request the owner needs (the caller's identity and preferences). */
const CREATE_HEADERS = ['authorization', 'prefer', 'x-request-id'] as const;
/** Headers of the owner's answer to a create that reach the client. */
const CREATE_ANSWER_HEADERS = ['preference-applied', 'retry-after', 'www-authenticate'] as const;
/**
 * The longest `Prefer: wait` a create sent on is given time for (a day): the owner caps the wait
 * at its own maxWaitSeconds, which this shard does not know, and holds its answer that long.
 */
const MAX_RELAYED_WAIT_SECONDS = 86_400;

/** 503 runtime.shard_unavailable (retryable): the shard that owns a run cannot be reached. */
export function shardUnavailableError(err: ShardUnavailableError): HttpError {
  return new HttpError(
    503,
    'runtime.shard_unavailable',
    'The worker that owns this run is not reachable right now; try again shortly.',
    { shard: err.shard },
    { 'Retry-After': '1' },
  );
}

export class ShardPeers {
  constructor(
    readonly shard: ShardContext,
    readonly client: PeerClient = new PeerClient(),
  ) {
    checkShard(shard.index, shard.count);
  }

  ownerOf(runId: string): number {
    return shardOf(runId, this.shard.count);
  }

  owns(runId: string): boolean {
    return this.ownerOf(runId) === this.shard.index;
  }

  /** The private URL of shard `i`; throws ShardUnavailableError while it is not up. */
  urlOf(i: number): string {
    const url = this.shard.peerUrl(i);
    if (url === undefined) throw new ShardUnavailableError(i);
    return url;
  }

  /**
   * POST /v1/runs at the shard that owns `runId` (a client chose the id), answered as that
   * shard answers: it checks the request and the caller again and keeps the run.
   */
  async createAtOwner(
    runId: string,
    body: unknown,
    headers: IncomingHttpHeaders,
  ): Promise<LaneReply> {
    const owner = this.ownerOf(runId);
    const sent: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of CREATE_HEADERS) {
      const value = headers[name];
      if (typeof value === 'string') sent[name] = value;
    }
    // With Prefer: wait the owner rightly answers late; no answer in time would read as a down
    // shard (503) after the run was created.
    const wait = parsePreferWait(headers.prefer, MAX_RELAYED_WAIT_SECONDS);
    let answer;
    try {
      answer = await this.client.send(owner, this.urlOf(owner), {
        method: 'POST',
        path: '/v1/runs',
        headers: sent,
        body: JSON.stringify(body),
        ...(wait !== undefined ? { timeoutMs: wait * 1000 + this.client.timeoutMs } : {}),
      });
    } catch (err) {
      if (err instanceof ShardUnavailableError) throw shardUnavailableError(err);
      throw err;
    }
    const replyHeaders: Record<string, string> = {};
    for (const name of CREATE_ANSWER_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === 'string') replyHeaders[name] = value;
    }
    return {
      status: answer.status,
      body: JSON.parse(answer.body) as unknown,
      headers: replyHeaders,
    };
  }

  close(): void {
    this.client.close();
  }
}
