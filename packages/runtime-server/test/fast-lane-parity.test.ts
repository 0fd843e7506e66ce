// The fast lane (runtime.handler, what startRuntimeServer listens with) and the express app
// (runtime.app) must give the same answers for the routes the lane serves: both are mounted over
// one runtime here and every request goes to both.
import { createServer, type Server } from 'node:http';
import { rm } from 'node:fs/promises';
import {
  validateErrorEnvelope,
  validateRunResult,
  validateRunStatus,
  type Validator,
} from '@arp-ts/sdk';
import { closeServer, listenWithFallback, silentLogger } from '@arp-ts/service-kit';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntimeServer, type RuntimeServer } from '../src/index.js';
import { call, type Answer } from './helpers/http.js';
import { createGate, type Gate } from './helpers/gate.js';
import { tempDir } from './helpers/server.js';

const SECRET = 'parity-secret-that-is-long-enough-for-hs256';

interface Pair {
  runtime: RuntimeServer;
  gate: Gate;
  servers: Server[];
  lane: string;
  express: string;
  traceDir: string;
}

async function startPair(auth: boolean): Promise<Pair> {
  const traceDir = await tempDir('arp-parity-');
  const gate = createGate();
  const runtime = await createRuntimeServer({
    toolRegistry: createToolRegistry({ domains: [gate.domain] }),
    logger: silentLogger,
    traceDir,
    bodyLimitBytes: 4096,
    shutdownGraceMs: 500,
    ...(auth ? { auth: { jwtSecret: SECRET } } : {}),
  });
  const viaLane = createServer(runtime.handler);
  const viaExpress = createServer(runtime.app);
  const lane = (await listenWithFallback(viaLane, { port: 0 })).url;
  const express = (await listenWithFallback(viaExpress, { port: 0 })).url;
  return { runtime, gate, servers: [viaLane, viaExpress], lane, express, traceDir };
}

async function stopPair(pair: Pair): Promise<void> {
  await pair.runtime.close();
  for (const s of pair.servers) await closeServer(s);
  await rm(pair.traceDir, { recursive: true, force: true });
}

const DYNAMIC = /"(run_id|started_at|ended_at|request_id|invocation_id)":"[^"]*"/g;

/** The parts of an answer a client relies on, with ids, times and the per-transport names blanked. */
function comparable(answer: Answer) {
  return {
    status: answer.status,
    body: answer.text
      .replaceAll(DYNAMIC, '"$1":"-"')
      .replaceAll(/"duration_ms":\d+/g, '"duration_ms":0')
      .replaceAll(/-(lane|express)\b/g, '-X'),
    contentType: answer.headers.get('content-type'),
    preferenceApplied: answer.headers.get('preference-applied'),
    retryAfter: answer.headers.get('retry-after'),
    challenge: answer.headers.get('www-authenticate'),
    hasRequestId: answer.headers.get('x-request-id') !== null,
  };
}

type Init = Parameters<typeof call>[2];

/** Sends the request to both transports; expects equal answers and a valid body; returns the lane's. */
async function both(
  pair: Pair,
  path: (which: 'lane' | 'express') => string,
  init: (which: 'lane' | 'express') => Init,
  validate: Validator<unknown>,
): Promise<Answer> {
  const viaExpress = await call(pair.express, path('express'), init('express'));
  const viaLane = await call(pair.lane, path('lane'), init('lane'));
  expect(comparable(viaLane)).toEqual(comparable(viaExpress));
  expect(validate(viaLane.body).ok).toBe(true);
  return viaLane;
}

const fixed =
  <T>(value: T) =>
  () =>
    value;
const json = (value: unknown): Init => ({ method: 'POST', json: value });

describe('fast lane and express answer alike (authentication off)', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair(false);
  });
  afterAll(() => stopPair(pair));

  it('creates runs, with and without Prefer: wait', async () => {
    const waited = await both(
      pair,
      fixed('/v1/runs'),
      fixed({ ...json({ input: { goal: 'What is (19*23)?' } }), headers: { prefer: 'wait=5' } }),
      validateRunStatus,
    );
    expect(waited.body).toMatchObject({ state: 'succeeded' });
    const quick = await both(
      pair,
      fixed('/v1/runs'),
      fixed(json({ input: { goal: 'say hi' } })),
      validateRunStatus,
    );
    expect(quick.status).toBe(200);
  });

  it('serves status and result of a run, and 404 / 400 for unknown and unsafe ids', async () => {
    for (const which of ['lane', 'express'] as const) {
      await call(pair[which], '/v1/runs', {
        ...json({ run_id: `parity-${which}`, input: { goal: 'What is 2+3?' } }),
        headers: { prefer: 'wait=5' },
      });
    }
    const status = await both(
      pair,
      (w) => `/v1/runs/parity-${w}`,
      fixed(undefined),
      validateRunStatus,
    );
    expect(status.body).toMatchObject({ state: 'succeeded' });
    const result = await both(
      pair,
      (w) => `/v1/runs/parity-${w}/result`,
      fixed(undefined),
      validateRunResult,
    );
    expect(result.status).toBe(200);
    const missing = await both(
      pair,
      fixed('/v1/runs/nope'),
      fixed(undefined),
      validateErrorEnvelope,
    );
    expect(missing.status).toBe(404);
    const unsafe = await both(pair, fixed('/v1/runs/x!y'), fixed(undefined), validateErrorEnvelope);
    expect(unsafe.status).toBe(400);
    const long = await both(
      pair,
      fixed(`/v1/runs/${'a'.repeat(129)}/result`),
      fixed(undefined),
      validateErrorEnvelope,
    );
    expect(long.status).toBe(400);
  });

  it('refuses bad bodies with the same ErrorEnvelopes', async () => {
    const cases: Array<[Init, number]> = [
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }, 400],
      [json({ input: {} }), 400],
      [json({ run_id: '../x', input: { goal: 'x' } }), 400],
      [json({ input: { goal: 'x'.repeat(5000) } }), 413],
      [json(JSON.parse('['.repeat(70) + ']'.repeat(70)) as unknown), 400],
      [{ method: 'POST' }, 400],
    ];
    for (const [init, status] of cases) {
      const answer = await both(pair, fixed('/v1/runs'), fixed(init), validateErrorEnvelope);
      expect(answer.status).toBe(status);
    }
  });

  it('answers 409 run.already_exists and 409 run.not_finished alike', async () => {
    for (const which of ['lane', 'express'] as const) {
      await call(pair[which], '/v1/runs', json({ run_id: `dup-${which}`, input: { goal: 'hi' } }));
    }
    const dup = await both(
      pair,
      fixed('/v1/runs'),
      (w) => json({ run_id: `dup-${w}`, input: { goal: 'hi' } }),
      validateErrorEnvelope,
    );
    expect(dup.status).toBe(409);
    for (const which of ['lane', 'express'] as const) {
      await call(
        pair[which],
        '/v1/runs',
        json({ run_id: `slow-${which}`, input: { goal: `say block-${which}` } }),
      );
      await pair.gate.started(`block-${which}`);
    }
    const unfinished = await both(
      pair,
      (w) => `/v1/runs/slow-${w}/result`,
      fixed(undefined),
      validateErrorEnvelope,
    );
    expect(unfinished.body).toMatchObject({
      error: { code: 'run.not_finished', details: { state: 'running' } },
    });
    pair.gate.release('block-lane');
    pair.gate.release('block-express');
  });
});

describe('fast lane and express answer alike (bearer-JWT on)', () => {
  let pair: Pair;
  let token: string;
  beforeAll(async () => {
    pair = await startPair(true);
    token = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
  });
  afterAll(() => stopPair(pair));

  it('refuses missing, malformed and bad tokens with the same 401 challenge', async () => {
    const inits: Init[] = [
      json({ input: { goal: 'hi' } }),
      { ...json({ input: { goal: 'hi' } }), headers: { authorization: 'Basic abc' } },
      { ...json({ input: { goal: 'hi' } }), token: 'not.a.token' },
    ];
    for (const init of inits) {
      const answer = await both(pair, fixed('/v1/runs'), fixed(init), validateErrorEnvelope);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="arp"/);
    }
  });

  it('serves the owner and hides the run from nobody else', async () => {
    const created = await both(
      pair,
      fixed('/v1/runs'),
      fixed({ ...json({ input: { goal: 'hi' } }), token, headers: { prefer: 'wait=5' } }),
      validateRunStatus,
    );
    const runId = (created.body as { run_id: string }).run_id;
    const viaLane = await call(pair.lane, `/v1/runs/${runId}`, { token });
    expect(viaLane.status).toBe(200);
    const anonymous = await both(
      pair,
      fixed(`/v1/runs/${runId}`),
      fixed(undefined),
      validateErrorEnvelope,
    );
    expect(anonymous.status).toBe(401);
  });
});
