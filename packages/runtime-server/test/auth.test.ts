import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  validateHealth,
  validateRunList,
  validateRunStatus,
  validateVersionInfo,
} from '@arp-ts/sdk';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRun, expectError, expectOk, getResult, getStatus } from './helpers/http.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { readAllEvents } from './helpers/sse.js';

const SECRET = 'test-secret-that-is-long-enough-for-hs256';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'arp-runtime';
const secretKey = new TextEncoder().encode(SECRET);

async function hsToken(
  claims: JWTPayload = {},
  options: {
    expiresIn?: string | number;
    issuer?: string;
    audience?: string;
    key?: Uint8Array;
  } = {},
): Promise<string> {
  const jwt = new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign(options.key ?? secretKey);
}

function challengeOf(answer: { headers: Headers }): string {
  return answer.headers.get('www-authenticate') ?? '';
}

describe('bearer-JWT auth with an HS256 secret', () => {
  let server: TestServer;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    server = await startTestServer({
      auth: { jwtSecret: SECRET, issuer: ISSUER, audience: AUDIENCE },
    });
    alice = await hsToken({ sub: 'alice' });
    bob = await hsToken({ sub: 'bob' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves a caller with a valid token', async () => {
    const status = await createRun(
      server.url,
      { input: { goal: 'say hi' } },
      { token: alice, wait: 10 },
    );
    expect(status.state).toBe('succeeded');
    expect((await getStatus(server.url, status.run_id, alice)).state).toBe('succeeded');
    expect((await getResult(server.url, status.run_id, alice)).ok).toBe(true);
  });

  it('refuses a missing token with 401 and a Bearer challenge', async () => {
    const answer = await call(server.url, '/v1/runs', {
      method: 'POST',
      json: { input: { goal: 'x' } },
    });
    expectError(answer, 401, 'auth.unauthorized');
    expect(challengeOf(answer)).toBe('Bearer realm="arp"');
    expectError(await call(server.url, '/v1/runs'), 401, 'auth.unauthorized');
    expectError(await call(server.url, '/v1/runs/any/events'), 401, 'auth.unauthorized');
  });

  it('refuses a malformed Authorization header with invalid_request', async () => {
    const answer = await call(server.url, '/v1/runs', { headers: { authorization: 'Basic dTpw' } });
    expectError(answer, 401, 'auth.unauthorized');
    expect(challengeOf(answer)).toContain('error="invalid_request"');
  });

  it('refuses expired, forged, wrong-audience, wrong-issuer and subject-less tokens', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        await hsToken({ sub: 'alice' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
        /expired/,
      ],
      [await hsToken({ sub: 'alice' }, { audience: 'someone-else' }), /audience/],
      [await hsToken({ sub: 'alice' }, { issuer: 'https://evil.test' }), /issuer/],
      [
        await hsToken(
          { sub: 'alice' },
          { key: new TextEncoder().encode('another-secret-of-enough-length!!') },
        ),
        /signature/,
      ],
      [await hsToken({}), /subject/],
      ['not.a.jwt', /not valid/],
    ];
    for (const [token, reason] of cases) {
      const answer = await call(server.url, '/v1/runs', { token });
      expectError(answer, 401, 'auth.unauthorized');
      const challenge = challengeOf(answer);
      expect(challenge).toMatch(
        /^Bearer realm="arp", error="invalid_token", error_description="[^"]+"$/,
      );
      expect(challenge).toMatch(reason);
    }
  });

  it('keeps health and version open', async () => {
    expectOk(await call(server.url, '/v1/health'), validateHealth);
    expectOk(await call(server.url, '/v1/version'), validateVersionInfo);
  });

  it('hides a run from other subjects (404) and lists only the caller’s runs', async () => {
    const mine = await createRun(
      server.url,
      { input: { goal: 'say mine' } },
      { token: alice, wait: 10 },
    );
    const theirs = await createRun(
      server.url,
      { input: { goal: 'say theirs' } },
      { token: bob, wait: 10 },
    );
    for (const path of ['', '/result', '/events']) {
      expectError(
        await call(server.url, `/v1/runs/${mine.run_id}${path}`, { token: bob }),
        404,
        'run.not_found',
      );
    }
    expectError(
      await call(server.url, `/v1/runs/${mine.run_id}:cancel`, { method: 'POST', token: bob }),
      404,
      'run.not_found',
    );
    const bobs = expectOk(await call(server.url, '/v1/runs', { token: bob }), validateRunList);
    expect(bobs.runs.map((r) => r.run_id)).toEqual([theirs.run_id]);
    const alices = expectOk(await call(server.url, '/v1/runs', { token: alice }), validateRunList);
    expect(alices.runs.map((r) => r.run_id)).toContain(mine.run_id);
    expect(alices.runs.map((r) => r.run_id)).not.toContain(theirs.run_id);
    const events = await readAllEvents(`${server.url}/v1/runs/${mine.run_id}/events`, {
      token: alice,
    });
    expect(events.at(-1)?.type).toBe('final');
  });
});

describe('bearer-JWT auth with a JWKS URL', () => {
  let jwks: Server;
  let server: TestServer;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as AddressInfo).port;
    server = await startTestServer({
      auth: { jwksUrl: `http://127.0.0.1:${port}/jwks.json`, audience: AUDIENCE },
    });
  });
  afterAll(async () => {
    await server.close();
    jwks.closeAllConnections();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const esToken = (key: CryptoKey, sub = 'carol'): Promise<string> =>
    new SignJWT({ sub })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(key);

  it('accepts a token signed by a key of the set', async () => {
    const token = await esToken(privateKey);
    const answer = await call(server.url, '/v1/runs', {
      method: 'POST',
      token,
      json: { input: { goal: 'say jwks' } },
    });
    expectOk(answer, validateRunStatus);
  });

  it('refuses a token signed by another key, and an HS256 token', async () => {
    const forged = await call(server.url, '/v1/runs', { token: await esToken(otherKey) });
    expectError(forged, 401, 'auth.unauthorized');
    expect(challengeOf(forged)).toContain('error="invalid_token"');
    const hs = await call(server.url, '/v1/runs', { token: await hsToken({ sub: 'carol' }) });
    expectError(hs, 401, 'auth.unauthorized');
  });
});

describe('bearer-JWT auth when the JWKS URL is unreachable', () => {
  it('answers 401 saying the signing keys could not be loaded', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const server = await startTestServer({
      auth: { jwksUrl: `http://127.0.0.1:${port}/jwks.json` },
    });
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ sub: 'dave' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setExpirationTime('5m')
      .sign(privateKey);
    const answer = await call(server.url, '/v1/runs', { token });
    expectError(answer, 401, 'auth.unauthorized');
    expect(challengeOf(answer)).toContain('signing keys could not be loaded');
    await server.close();
  });
});
