// Two shards of a cluster in this process (no node:cluster): whichever shard a request lands on,
// the client sees one runtime. Requests about a run reach its owner; listings and metrics cover
// both shards; a client-chosen id is created at its owner; an unreachable owner is a 503.
import {
  validateErrorEnvelope,
  validateRunList,
  validateRunStatus,
  type RunEvent,
  type RunList,
} from '@arp-ts/sdk';
import { SignJWT } from 'jose';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumMetrics } from '../src/cluster/merge-metrics.js';
import { shardOf } from '../src/index.js';
import {
  call,
  cancelRun,
  createRun,
  expectError,
  expectOk,
  getResult,
  getStatus,
  postRun,
  waitForStatus,
} from './helpers/http.js';
import { rm } from 'node:fs/promises';
import { tempDir } from './helpers/server.js';
import { idOwnedBy, startShards, type TestShards } from './helpers/shards.js';
import { eventOf, openSse, readAllEvents } from './helpers/sse.js';

const SECRET = 'cluster-test-secret-long-enough-for-hs256';

function shardUrl(cluster: TestShards, i: number): string {
  const shard = cluster.shards[i];
  if (!shard) throw new Error(`no shard ${i}`);
  return shard.url;
}

/** Every run of a listing, following next_page_token from the first page. */
async function walkListing(url: string, pageSize: number, token?: string): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const query = `page_size=${pageSize}${pageToken ? `&page_token=${pageToken}` : ''}`;
    const page: RunList = expectOk(
      await call(url, `/v1/runs?${query}`, token ? { token } : {}),
      validateRunList,
    );
    expect(page.runs.length).toBeLessThanOrEqual(pageSize);
    ids.push(...page.runs.map((r) => r.run_id));
    pageToken = page.next_page_token;
    if (pageToken === undefined) return ids;
  }
  throw new Error('the listing never ended');
}

function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

/** One request with an absolute-form target (`GET http://host/path`), over a raw socket. */
function absoluteFormGet(
  baseUrl: string,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `GET ${baseUrl}${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`,
      );
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      // Content-Length answers only (JSON): the body is what follows the head.
      resolve({ status, body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as unknown });
    });
  });
}

describe('two in-process shards', () => {
  let cluster: TestShards;
  beforeAll(async () => {
    // One run at a time per shard, so a run can be held in the queue.
    cluster = await startShards(2, { maxConcurrentRuns: 1 });
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('mints ids each shard owns, and serves status and result of a run from either shard', async () => {
    for (const index of [0, 1]) {
      const created = await createRun(
        shardUrl(cluster, index),
        { input: { goal: 'What is (2+3)?' } },
        { wait: 10 },
      );
      expect(created.state).toBe('succeeded');
      expect(shardOf(created.run_id, 2)).toBe(index);
      for (const url of [shardUrl(cluster, 0), shardUrl(cluster, 1)]) {
        expect(await getStatus(url, created.run_id)).toEqual(created);
        const result = await getResult(url, created.run_id);
        expect(result.ok).toBe(true);
        expect(JSON.stringify(result.output)).toContain('5');
      }
    }
  });

  it('answers a run no shard holds with the owner 404, from either shard', async () => {
    for (const url of [shardUrl(cluster, 0), shardUrl(cluster, 1)]) {
      for (const id of [idOwnedBy(0, 2, 'missing'), idOwnedBy(1, 2, 'missing')]) {
        expectError(await call(url, `/v1/runs/${id}`), 404, 'run.not_found');
        expectError(await call(url, `/v1/runs/${id}/result`), 404, 'run.not_found');
        expectError(await call(url, `/v1/runs/${id}/events`), 404, 'run.not_found');
      }
    }
  });

  it('streams a live run events through the other shard as they happen', async () => {
    const owner = shardUrl(cluster, 1);
    const run = await createRun(owner, { input: { goal: 'say block-relay' } });
    expect(shardOf(run.run_id, 2)).toBe(1);
    await cluster.gate.started('block-relay');
    const stream = await openSse(`${shardUrl(cluster, 0)}/v1/runs/${run.run_id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const events: RunEvent[] = [];
    // The tool is still blocked: these events reach the client while the run is going.
    while (!events.some((e) => e.type === 'tool_call')) {
      const next = await stream.frames.next();
      if (next.done) throw new Error('the stream ended while the run was running');
      if (next.value.data !== undefined) events.push(eventOf(next.value));
    }
    expect((await getStatus(owner, run.run_id)).state).toBe('running');
    expect(cluster.shards[1]?.runtime.stats().liveStreams).toBe(1);
    cluster.gate.release('block-relay');
    for await (const frame of stream.frames)
      if (frame.data !== undefined) events.push(eventOf(frame));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.at(-1)?.type).toBe('final');
    expect(events).toEqual(await readAllEvents(`${owner}/v1/runs/${run.run_id}/events`));
    // A resumed stream through the other shard too.
    const resumed = await readAllEvents(`${shardUrl(cluster, 0)}/v1/runs/${run.run_id}/events`, {
      lastEventId: '1',
    });
    expect(resumed).toEqual(events.slice(2));
  });

  it('stops following at the owner when the client of a relayed stream goes away', async () => {
    const owner = cluster.shards[1];
    if (!owner) throw new Error('no shard 1');
    const run = await createRun(owner.url, { input: { goal: 'say block-gone' } });
    await cluster.gate.started('block-gone');
    const stream = await openSse(`${shardUrl(cluster, 0)}/v1/runs/${run.run_id}/events`);
    expect((await stream.frames.next()).done).toBe(false);
    expect(owner.runtime.stats().liveStreams).toBe(1);
    stream.close();
    const deadline = Date.now() + 15_000;
    while (owner.runtime.stats().liveStreams > 0) {
      if (Date.now() > deadline) throw new Error('the owner still streams to nobody');
      await new Promise((r) => setTimeout(r, 10));
    }
    cluster.gate.release('block-gone');
    await waitForStatus(owner.url, run.run_id, (s) => s.state === 'succeeded');
  });

  it('opens a relayed stream of a run that has no events yet (queued) at once', async () => {
    const owner = shardUrl(cluster, 1);
    const blocker = await createRun(owner, { input: { goal: 'say block-first' } });
    await cluster.gate.started('block-first');
    const queued = await createRun(owner, { input: { goal: 'say block-queued' } });
    expect(queued.state).toBe('queued');
    // The headers arrive before any event does: the client knows the stream is open.
    const stream = await openSse(`${shardUrl(cluster, 0)}/v1/runs/${queued.run_id}/events`);
    expect(stream.status).toBe(200);
    expect((await getStatus(owner, queued.run_id)).state).toBe('queued');
    cluster.gate.release('block-first');
    cluster.gate.release('block-queued');
    const events: RunEvent[] = [];
    for await (const frame of stream.frames)
      if (frame.data !== undefined) events.push(eventOf(frame));
    expect(events.at(-1)?.type).toBe('final');
    await waitForStatus(owner, blocker.run_id, (s) => s.state === 'succeeded');
  });

  it('cancels a run at its owner when the cancel lands on the other shard', async () => {
    const run = await createRun(shardUrl(cluster, 0), { input: { goal: 'say block-cancel' } });
    await cluster.gate.started('block-cancel');
    const canceled = expectOk(await cancelRun(shardUrl(cluster, 1), run.run_id), validateRunStatus);
    expect(canceled).toMatchObject({ run_id: run.run_id, state: 'canceled' });
    expect(cluster.gate.aborted.has('block-cancel')).toBe(true);
    expect((await getStatus(shardUrl(cluster, 0), run.run_id)).state).toBe('canceled');
    expect((await getResult(shardUrl(cluster, 1), run.run_id)).error?.code).toBe('run.canceled');
    // And a second cancel of the finished run: the owner's 409, relayed.
    const done = await createRun(shardUrl(cluster, 0), { input: { goal: 'say x' } }, { wait: 10 });
    expectError(await cancelRun(shardUrl(cluster, 1), done.run_id), 409, 'run.already_terminal');
  });

  it('creates a run whose client-chosen id the other shard owns at that shard, once', async () => {
    const runId = idOwnedBy(1, 2, 'chosen');
    const before = cluster.shards.map((s) => s.runtime.stats().runs);
    const answer = await postRun(
      shardUrl(cluster, 0),
      { run_id: runId, input: { goal: 'What is (4*5)?' } },
      { wait: 10 },
    );
    const created = expectOk(answer, validateRunStatus);
    expect(created).toMatchObject({ run_id: runId, state: 'succeeded' });
    expect(answer.headers.get('preference-applied')).toBe('wait=10');
    // Kept by its owner, shard 1, and only there.
    expect(cluster.shards.map((s) => s.runtime.stats().runs)).toEqual([
      before[0],
      (before[1] ?? 0) + 1,
    ]);
    expect(JSON.stringify((await getResult(shardUrl(cluster, 0), runId)).output)).toContain('20');
    for (const url of [shardUrl(cluster, 0), shardUrl(cluster, 1)]) {
      const again = await postRun(url, { run_id: runId, input: { goal: 'say again' } });
      expectError(again, 409, 'run.already_exists');
    }
    // An invalid request is refused before anything is sent on.
    const invalid = await postRun(shardUrl(cluster, 0), { run_id: runId, input: {} });
    expectError(invalid, 400, 'request.invalid_shape');
  });

  it('lists the runs of both shards, newest first, page by page from either shard', async () => {
    for (let i = 0; i < 3; i++) {
      for (const url of [shardUrl(cluster, 0), shardUrl(cluster, 1)]) {
        await createRun(url, { input: { goal: `say list-${i}` } });
      }
    }
    const all = expectOk(
      await call(shardUrl(cluster, 0), '/v1/runs?page_size=1000'),
      validateRunList,
    );
    expect(all).not.toHaveProperty('cursors');
    expect(all.next_page_token).toBeUndefined();
    const ids = all.runs.map((r) => r.run_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(cluster.shards.reduce((n, s) => n + s.runtime.stats().runs, 0));
    expect(new Set(ids.map((id) => shardOf(id, 2)))).toEqual(new Set([0, 1]));
    expect(await walkListing(shardUrl(cluster, 1), 1000)).toEqual(ids);
    expect(await walkListing(shardUrl(cluster, 0), 1)).toEqual(ids);
    expect(await walkListing(shardUrl(cluster, 1), 3)).toEqual(ids);
    // Filters apply on every shard.
    const succeeded = expectOk(
      await call(shardUrl(cluster, 1), '/v1/runs?state=succeeded&page_size=1000'),
      validateRunList,
    );
    expect(succeeded.runs.length).toBeGreaterThan(0);
    expect(succeeded.runs.every((r) => r.state === 'succeeded')).toBe(true);
    // A shard's own refusal of the query is the answer.
    expectError(
      await call(shardUrl(cluster, 0), '/v1/runs?page_size=0'),
      400,
      'request.invalid_query',
    );
    expectError(
      await call(shardUrl(cluster, 0), '/v1/runs?page_token=not-a-token!'),
      400,
      'request.invalid_query',
    );
    // The caller's request id comes back with gathered answers, refusals included.
    const headers = { 'x-request-id': 'gathered-1' };
    for (const path of ['/v1/runs', '/v1/runs?page_size=0', '/metrics']) {
      const answer = await call(shardUrl(cluster, 1), path, { headers });
      expect(answer.headers.get('x-request-id'), path).toBe('gathered-1');
    }
  });

  it('routes absolute-form request targets by their path, as one runtime does', async () => {
    const theirs = await createRun(shardUrl(cluster, 1), { input: { goal: 'say abs' } });
    const status = await absoluteFormGet(shardUrl(cluster, 0), `/v1/runs/${theirs.run_id}`);
    expect(status.status).toBe(200);
    expect(validateRunStatus(status.body).ok).toBe(true);
    expect(status.body).toMatchObject({ run_id: theirs.run_id });
    const listed = await absoluteFormGet(shardUrl(cluster, 0), '/v1/runs?page_size=1000');
    expect(listed.status).toBe(200);
    const list = validateRunList(listed.body);
    if (!list.ok) throw new Error('not a RunList');
    const all = expectOk(
      await call(shardUrl(cluster, 1), '/v1/runs?page_size=1000'),
      validateRunList,
    );
    expect(list.value.runs.map((r) => r.run_id)).toEqual(all.runs.map((r) => r.run_id));
  });

  it('answers HEAD of the listing and metrics with the merged answer length', async () => {
    // Runs on both shards, so one shard's answer is shorter than the merged one.
    for (const index of [0, 1]) {
      await createRun(shardUrl(cluster, index), { input: { goal: 'say head' } }, { wait: 10 });
    }
    for (const path of ['/v1/runs?page_size=1000', '/metrics']) {
      const full = await call(shardUrl(cluster, 0), path);
      const head = await call(shardUrl(cluster, 0), path, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.text).toBe('');
      expect(head.headers.get('content-length'), path).toBe(String(Buffer.byteLength(full.text)));
    }
  });

  it('gives peers each run cursor on the private listener only', async () => {
    await createRun(shardUrl(cluster, 0), { input: { goal: 'say cursor' } });
    const shard = cluster.shards[0];
    if (!shard) throw new Error('no shard 0');
    const page = await call(shard.peerUrl, '/v1/runs?page_size=2');
    expect(page.status).toBe(200);
    const body = page.body as { runs: unknown[]; cursors?: unknown[] };
    expect(body.runs.length).toBeGreaterThan(0);
    expect(body.cursors).toHaveLength(body.runs.length);
    // The private listing is the shard's own runs only.
    for (const run of body.runs as { run_id: string }[]) expect(shardOf(run.run_id, 2)).toBe(0);
  });

  it('sums every shard metrics on /metrics, from either shard', async () => {
    for (const index of [0, 1]) {
      await createRun(shardUrl(cluster, index), { input: { goal: 'say m' } }, { wait: 10 });
    }
    const privateTexts = await Promise.all(
      cluster.shards.map(async (s) => (await call(s.peerUrl, '/metrics')).text),
    );
    const succeeded = privateTexts.map((t) => metricValue(t, 'arp_runs_total{state="succeeded"}'));
    expect(succeeded.every((n) => n > 0)).toBe(true);
    for (const url of [shardUrl(cluster, 0), shardUrl(cluster, 1)]) {
      const answer = await call(url, '/metrics');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(metricValue(answer.text, 'arp_runs_total{state="succeeded"}')).toBe(
        (succeeded[0] ?? 0) + (succeeded[1] ?? 0),
      );
      // Nothing ran in between: the public text is the sum of the private ones.
      expect(answer.text).toBe(sumMetrics(privateTexts));
    }
  });
});

describe('two in-process shards with JWT auth', () => {
  let cluster: TestShards;
  const token = (sub: string): Promise<string> =>
    new SignJWT({ sub })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    cluster = await startShards(2, { auth: { jwtSecret: SECRET } });
    alice = await token('alice');
    bob = await token('bob');
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('checks the token at the owner and hides other callers runs across shards', async () => {
    const minted = await createRun(
      shardUrl(cluster, 0),
      { input: { goal: 'say hi' } },
      { token: alice, wait: 10 },
    );
    const chosen = await createRun(
      shardUrl(cluster, 0),
      { run_id: idOwnedBy(1, 2, 'alice'), input: { goal: 'say hi' } },
      { token: alice, wait: 10 },
    );
    expect(shardOf(chosen.run_id, 2)).toBe(1);
    for (const runId of [minted.run_id, chosen.run_id]) {
      for (const url of [shardUrl(cluster, 0), shardUrl(cluster, 1)]) {
        expect((await getStatus(url, runId, alice)).state).toBe('succeeded');
        expect((await getResult(url, runId, alice)).ok).toBe(true);
        const asBob = { token: bob };
        expectError(await call(url, `/v1/runs/${runId}`, asBob), 404, 'run.not_found');
        expectError(await call(url, `/v1/runs/${runId}/result`, asBob), 404, 'run.not_found');
        expectError(await call(url, `/v1/runs/${runId}/events`, asBob), 404, 'run.not_found');
        expectError(
          await call(url, `/v1/runs/${runId}:cancel`, { method: 'POST', token: bob }),
          404,
          'run.not_found',
        );
        const anonymous = await call(url, `/v1/runs/${runId}`);
        expectError(anonymous, 401, 'auth.unauthorized');
        expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expectError(
          await call(url, `/v1/runs/${runId}`, { token: `${alice}x` }),
          401,
          'auth.unauthorized',
        );
      }
    }
    // Bob cannot take alice's id on either shard, and sees none of her runs listed.
    expectError(
      await postRun(
        shardUrl(cluster, 1),
        { run_id: chosen.run_id, input: { goal: 'x' } },
        { token: bob },
      ),
      409,
      'run.already_exists',
    );
    for (const url of [shardUrl(cluster, 0), shardUrl(cluster, 1)]) {
      expect(await walkListing(url, 1, bob)).toEqual([]);
      const mine = await walkListing(url, 1, alice);
      expect(new Set(mine)).toEqual(new Set([minted.run_id, chosen.run_id]));
      const refused = await call(url, '/v1/runs');
      expectError(refused, 401, 'auth.unauthorized');
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('refuses a create for the other shard without a valid token', async () => {
    const runId = idOwnedBy(1, 2, 'nobody');
    const anonymous = await postRun(shardUrl(cluster, 0), { run_id: runId, input: { goal: 'x' } });
    expectError(anonymous, 401, 'auth.unauthorized');
    const forged = await postRun(
      shardUrl(cluster, 0),
      { run_id: runId, input: { goal: 'x' } },
      { token: `${alice}x` },
    );
    expectError(forged, 401, 'auth.unauthorized');
    expectError(
      await call(shardUrl(cluster, 1), `/v1/runs/${runId}`, { token: alice }),
      404,
      'run.not_found',
    );
  });
});

describe('two in-process shards, one unreachable', () => {
  let cluster: TestShards;
  beforeAll(async () => {
    cluster = await startShards(2);
  });
  afterAll(async () => {
    await cluster.close();
  });

  async function expectUnavailable(answer: Promise<Awaited<ReturnType<typeof call>>>) {
    const got = await answer;
    const envelope = expectError(got, 503, 'runtime.shard_unavailable');
    expect(validateErrorEnvelope(got.body).ok).toBe(true);
    expect(envelope.error.details).toEqual({ shard: 1 });
    expect(got.headers.get('retry-after')).toBe('1');
  }

  async function expectAllUnavailable(url: string, runId: string): Promise<void> {
    await expectUnavailable(call(url, `/v1/runs/${runId}`));
    await expectUnavailable(call(url, `/v1/runs/${runId}/result`));
    await expectUnavailable(call(url, `/v1/runs/${runId}/events`));
    await expectUnavailable(call(url, `/v1/runs/${runId}:cancel`, { method: 'POST' }));
    await expectUnavailable(call(url, '/v1/runs'));
    await expectUnavailable(call(url, '/metrics'));
    await expectUnavailable(
      postRun(url, { run_id: idOwnedBy(1, 2, 'new'), input: { goal: 'say hi' } }),
    );
  }

  it('answers 503 runtime.shard_unavailable for the down shard, and serves its own runs', async () => {
    const url = shardUrl(cluster, 0);
    const theirs = await createRun(
      shardUrl(cluster, 1),
      { input: { goal: 'say t' } },
      { wait: 10 },
    );
    const ours = await createRun(url, { input: { goal: 'say o' } }, { wait: 10 });
    // Keep-alive sockets to shard 1 exist now; stopping it must not leave them in use.
    expect((await getStatus(url, theirs.run_id)).state).toBe('succeeded');

    // Not up (as while the primary restarts it).
    const remember = cluster.forgetPeer(1);
    await expectAllUnavailable(url, theirs.run_id);
    remember();
    expect((await getStatus(url, theirs.run_id)).state).toBe('succeeded');

    // Known, but nothing listens there any more.
    await cluster.stopPeer(1);
    await expectAllUnavailable(url, theirs.run_id);

    expect((await getStatus(url, ours.run_id)).state).toBe('succeeded');
    expect((await getResult(url, ours.run_id)).ok).toBe(true);
    expect((await createRun(url, { input: { goal: 'say still' } }, { wait: 10 })).state).toBe(
      'succeeded',
    );
    await waitForStatus(url, ours.run_id, (s) => s.state === 'succeeded');
    expect((await call(url, '/v1/health')).status).toBe(200);
  });
});

describe('two in-process shards restarted over their shared trace dir', () => {
  let traceDir: string;
  beforeAll(async () => {
    traceDir = await tempDir('arp-runtime-shards-');
  });
  afterAll(async () => {
    await rm(traceDir, { recursive: true, force: true });
  });

  it('each shard recovers its own runs only, and together they hold every run once', async () => {
    const first = await startShards(2, { traceDir });
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        for (const index of [0, 1]) {
          const url = shardUrl(first, index);
          ids.push((await createRun(url, { input: { goal: `say r${i}` } }, { wait: 10 })).run_id);
        }
      }
      ids.push(
        (
          await createRun(
            shardUrl(first, 0),
            { run_id: idOwnedBy(1, 2, 'kept'), input: { goal: 'say k' } },
            { wait: 10 },
          )
        ).run_id,
      );
    } finally {
      await first.close();
    }

    const second = await startShards(2, { traceDir });
    try {
      for (const shard of second.shards) {
        const own = ids.filter((id) => shardOf(id, 2) === shard.index);
        expect(shard.runtime.stats().runs).toBe(own.length);
      }
      for (const url of [shardUrl(second, 0), shardUrl(second, 1)]) {
        const listed = await walkListing(url, 2);
        expect([...listed].sort()).toEqual([...ids].sort());
        for (const id of ids) expect((await getStatus(url, id)).state).toBe('succeeded');
      }
    } finally {
      await second.close();
    }
  });
});
