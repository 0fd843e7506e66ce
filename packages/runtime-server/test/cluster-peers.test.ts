// How a shard talks to its peers: a send that gets no answer in time is a down shard, except
// when the peer rightly holds its answer (a create with Prefer: wait, created at the owner).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, HttpError } from '@arp-ts/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PeerClient, ShardUnavailableError } from '../src/cluster/peer-client.js';
import { ShardPeers } from '../src/cluster/shard-peers.js';
import { idOwnedBy } from './helpers/shards.js';

/** How long the fake owner holds every answer. */
const ANSWER_AFTER_MS = 300;
/** The peers' usual send timeout in these tests: well below ANSWER_AFTER_MS. */
const SHORT_TIMEOUT_MS = 50;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('peer sends and creates at the owner', () => {
  let owner: Server;
  let ownerUrl: string;
  const received: Received[] = [];
  beforeAll(async () => {
    owner = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        setTimeout(() => {
          const run = { run_id: 'slow-run', state: 'succeeded' };
          res.writeHead(200, {
            'content-type': 'application/json',
            'preference-applied': 'wait=1',
          });
          res.end(JSON.stringify(run));
        }, ANSWER_AFTER_MS);
      });
    });
    await new Promise<void>((resolve) => owner.listen(0, '127.0.0.1', resolve));
    ownerUrl = `http://127.0.0.1:${(owner.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await closeServer(owner, 0);
  });

  const peersWith = (client: PeerClient): ShardPeers =>
    new ShardPeers(
      { index: 0, count: 2, peerUrl: (i) => (i === 1 ? ownerUrl : undefined) },
      client,
    );

  it('gives up on a peer that does not answer within the send timeout', async () => {
    const client = new PeerClient(SHORT_TIMEOUT_MS);
    try {
      const sent = client.send(1, ownerUrl, { method: 'GET', path: '/metrics', headers: {} });
      await expect(sent).rejects.toBeInstanceOf(ShardUnavailableError);
    } finally {
      client.close();
    }
  });

  it('waits longer for a send given its own timeout', async () => {
    const client = new PeerClient(SHORT_TIMEOUT_MS);
    try {
      const answer = await client.send(1, ownerUrl, {
        method: 'GET',
        path: '/metrics',
        headers: {},
        timeoutMs: 5_000,
      });
      expect(answer.status).toBe(200);
    } finally {
      client.close();
    }
  });

  it('gives a create with Prefer: wait the time of its wait, and passes the request on', async () => {
    const peers = peersWith(new PeerClient(SHORT_TIMEOUT_MS));
    try {
      const runId = idOwnedBy(1, 2, 'slow');
      const request = { run_id: runId, input: { goal: 'say hi' } };
      const reply = await peers.createAtOwner(runId, request, {
        prefer: 'wait=1',
        authorization: 'Bearer abc',
        'x-request-id': 'create-1',
        cookie: 'not-passed-on',
      });
      expect(reply).toEqual({
        status: 200,
        body: { run_id: 'slow-run', state: 'succeeded' },
        headers: { 'preference-applied': 'wait=1' },
      });
      const seen = received.at(-1);
      expect(seen?.headers).toMatchObject({
        prefer: 'wait=1',
        authorization: 'Bearer abc',
        'x-request-id': 'create-1',
        'content-type': 'application/json',
      });
      expect(seen?.headers.cookie).toBeUndefined();
      expect(JSON.parse(seen?.body ?? '')).toEqual(request);
    } finally {
      peers.close();
    }
  });

  it('answers 503 runtime.shard_unavailable for a create the owner does not answer in time', async () => {
    const peers = peersWith(new PeerClient(SHORT_TIMEOUT_MS));
    try {
      const runId = idOwnedBy(1, 2, 'slow');
      const created = peers.createAtOwner(runId, { run_id: runId, input: { goal: 'x' } }, {});
      await expect(created).rejects.toBeInstanceOf(HttpError);
      await expect(created).rejects.toMatchObject({
        status: 503,
        code: 'runtime.shard_unavailable',
      });
    } finally {
      peers.close();
    }
  });
});
