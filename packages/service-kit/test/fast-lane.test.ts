// The fast lane must answer exactly as the express app would: every request below goes to an
// express-only server and to a lane-in-front server with the same handlers, and the answers are
// compared. The lane's hit counter shows which requests it took and which it left to express.
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { validateErrorEnvelope } from '@arp-ts/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HttpError,
  closeServer,
  createBaseApp,
  createFastLane,
  createLogger,
  finishApp,
  listenWithFallback,
  pathPattern,
  type LaneRoute,
} from '@arp-ts/service-kit';

const lines: string[] = [];
const logger = createLogger({ name: 'test', level: 'info', write: (l) => lines.push(l) });
const LIMIT = 1024;
let laneHits = 0;

// The handlers, written once and served by both transports.
const echo = (body: unknown) => ({ body });
const item = (id: string | undefined) => ({ id });
const boom = (): never => {
  throw new Error('secret detail');
};
const teapot = (): never => {
  throw new HttpError(409, 'run.already_exists', 'exists', { run_id: 'x' }, { 'Retry-After': '3' });
};

const routes: LaneRoute[] = [
  {
    method: 'POST',
    match: pathPattern('/echo'),
    handle: (r) => {
      laneHits++;
      return { status: 200, body: echo(r.body), headers: { 'X-Handled': 'yes' } };
    },
  },
  {
    method: 'GET',
    match: pathPattern('/items/:id'),
    handle: (r) => {
      laneHits++;
      return { status: 200, body: item(r.params.id) };
    },
  },
  {
    method: 'GET',
    match: pathPattern('/boom'),
    handle: () => {
      laneHits++;
      return boom();
    },
  },
  {
    method: 'GET',
    match: pathPattern('/teapot'),
    handle: async () => {
      laneHits++;
      await Promise.resolve();
      return teapot();
    },
  },
];

let expressServer: Server;
let laneServer: Server;
let expressUrl: string;
let laneUrl: string;

beforeAll(async () => {
  const app = createBaseApp({ logger, limitBytes: LIMIT, maxDepth: 8 });
  app.post('/echo', (req, res) => {
    res.setHeader('X-Handled', 'yes');
    res.json(echo(req.body));
  });
  app.get('/items/:id', (req, res) => {
    res.json(item(req.params.id));
  });
  app.get('/boom', boom);
  app.get('/teapot', teapot);
  finishApp(app, logger);
  expressServer = createServer(app);
  laneServer = createServer(
    createFastLane({ logger, limitBytes: LIMIT, maxDepth: 8, routes, fallback: app }),
  );
  expressUrl = (await listenWithFallback(expressServer, { port: 0 })).url;
  laneUrl = (await listenWithFallback(laneServer, { port: 0 })).url;
});

afterAll(async () => {
  await closeServer(expressServer);
  await closeServer(laneServer);
});

beforeEach(() => {
  laneHits = 0;
  lines.length = 0;
});

interface Answer {
  status: number;
  body: unknown;
  contentType: string | null;
  requestId: string | null;
  headers: Record<string, string | null>;
}

const COMPARED_HEADERS = ['x-handled', 'retry-after', 'allow', 'www-authenticate'];

async function ask(base: string, path: string, init?: RequestInit): Promise<Answer> {
  const res = await fetch(base + path, init);
  const text = await res.text();
  return {
    status: res.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    contentType: res.headers.get('content-type'),
    requestId: res.headers.get('x-request-id'),
    headers: Object.fromEntries(COMPARED_HEADERS.map((h) => [h, res.headers.get(h)])),
  };
}

/** Replaces a generated request id in a 500's details so the two answers compare. */
function withoutRequestIds(answer: Answer): Answer {
  const body = JSON.parse(
    JSON.stringify(answer.body ?? null).replaceAll(/"request_id":"[^"]*"/g, '"request_id":"-"'),
  ) as unknown;
  return { ...answer, body, requestId: answer.requestId === null ? null : '-' };
}

/** Sends `init` to both servers, expects equal answers, returns the lane's. */
async function same(path: string, init: () => RequestInit = () => ({})): Promise<Answer> {
  const viaExpress = await ask(expressUrl, path, init());
  const viaLane = await ask(laneUrl, path, init());
  expect(withoutRequestIds(viaLane)).toEqual(withoutRequestIds(viaExpress));
  expect(viaLane.requestId).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  return viaLane;
}

const json = { 'content-type': 'application/json' };

function chunked(parts: string[]): RequestInit {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
      controller.close();
    },
  });
  return { method: 'POST', headers: json, body: stream, duplex: 'half' } as RequestInit;
}

describe('createFastLane: answers as express does', () => {
  it('serves a JSON body, a +json media type and charset=utf-8 itself', async () => {
    const a = await same('/echo', () => ({ method: 'POST', headers: json, body: '{"a":[1,2]}' }));
    expect(a).toMatchObject({ status: 200, body: { body: { a: [1, 2] } } });
    expect(a.contentType).toBe('application/json; charset=utf-8');
    expect(a.headers['x-handled']).toBe('yes');
    await same('/echo', () => ({
      method: 'POST',
      headers: { 'content-type': 'application/vnd.arp+json; charset=UTF-8' },
      body: '"text"',
    }));
    expect(laneHits).toBe(2);
  });

  it('serves path parameters and ignores the query string', async () => {
    const a = await same('/items/abc-1?x=1');
    expect(a.body).toEqual({ id: 'abc-1' });
    expect(laneHits).toBe(1);
  });

  it('maps bad bodies to the same ErrorEnvelopes', async () => {
    const cases: Array<[RequestInit, number, string]> = [
      [{ method: 'POST', headers: json, body: '{"a":' }, 400, 'request.invalid_json'],
      [{ method: 'POST', headers: json, body: 'x'.repeat(LIMIT + 1) }, 413, 'request.too_large'],
      [
        { method: 'POST', headers: json, body: '['.repeat(9) + ']'.repeat(9) },
        400,
        'request.invalid_shape',
      ],
    ];
    for (const [init, status, code] of cases) {
      const a = await same('/echo', () => init);
      expect(a.status).toBe(status);
      expect(validateErrorEnvelope(a.body).ok).toBe(true);
      expect((a.body as { error: { code: string } }).error.code).toBe(code);
    }
    expect(laneHits).toBe(0);
  });

  it('counts the bytes of a chunked body against the limit', async () => {
    const a = await same('/echo', () => chunked(['{"t":"', 'y'.repeat(LIMIT), '"}']));
    expect(a.status).toBe(413);
    const ok = await same('/echo', () => chunked(['{"t":', '"y"}']));
    expect(ok.body).toEqual({ body: { t: 'y' } });
  });

  it('treats no body as undefined, an empty chunked body as {} and skips a BOM', async () => {
    expect((await same('/echo', () => ({ method: 'POST' }))).body).toEqual({});
    expect((await same('/echo', () => chunked([]))).body).toEqual({ body: {} });
    const bom = await same('/echo', () => ({ method: 'POST', headers: json, body: '\uFEFF[1]' }));
    expect(bom.body).toEqual({ body: [1] });
    expect(laneHits).toBe(3);
  });

  it('answers thrown HttpErrors with their headers and hides unexpected errors', async () => {
    const teapotAnswer = await same('/teapot');
    expect(teapotAnswer.status).toBe(409);
    expect(teapotAnswer.headers['retry-after']).toBe('3');
    const boomAnswer = await same('/boom');
    expect(boomAnswer.status).toBe(500);
    expect(JSON.stringify(boomAnswer.body)).not.toContain('secret');
    const logged = lines.filter((l) => l.includes('unhandled error'));
    expect(logged).toHaveLength(2);
    expect(lines.some((l) => l.includes(String(boomAnswer.requestId)))).toBe(true);
  });

  it("echoes a caller's plain X-Request-Id and replaces an unsafe one", async () => {
    const given = await ask(laneUrl, '/items/a', { headers: { 'x-request-id': 'req-42' } });
    expect(given.requestId).toBe('req-42');
    const unsafe = await ask(laneUrl, '/items/a', { headers: { 'x-request-id': 'a b' } });
    expect(unsafe.requestId).not.toBe('a b');
    expect(unsafe.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes the same access log line', async () => {
    await ask(laneUrl, '/items/a?q=1');
    const entry = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request');
    expect(entry).toMatchObject({ method: 'GET', path: '/items/a', status: 200 });
    expect(typeof entry?.duration_ms).toBe('number');
  });
});

describe('createFastLane: leaves to express what it does not handle alike', () => {
  it('a gzip body, another charset, another media type', async () => {
    const gz = await same('/echo', () => ({
      method: 'POST',
      headers: { ...json, 'content-encoding': 'gzip' },
      body: gzipSync('{"z":1}'),
    }));
    expect(gz.body).toEqual({ body: { z: 1 } });
    const latin = await same('/echo', () => ({
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: '{}',
    }));
    expect(latin.status).toBe(415);
    const text = await same('/echo', () => ({
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    }));
    expect(text.status).toBe(415);
    expect(laneHits).toBe(0);
  });

  it('escaped paths, other cases and methods, unknown routes', async () => {
    expect((await same('/items/a%20b')).body).toEqual({ id: 'a b' });
    expect((await same('/items/%zz')).status).toBe(400);
    expect((await same('/ITEMS/a')).body).toEqual({ id: 'a' });
    expect((await same('/items/a/')).body).toEqual({ id: 'a' });
    expect((await same('/items/a', () => ({ method: 'DELETE' }))).status).toBe(404);
    expect((await same('/nowhere')).status).toBe(404);
    expect(laneHits).toBe(0);
  });
});

describe('pathPattern', () => {
  it('matches literal segments exactly and captures plain parameters', () => {
    const match = pathPattern('/v1/runs/:run_id/result');
    expect(match('/v1/runs/r1/result')).toEqual({ run_id: 'r1' });
    expect(match('/v1/runs//result')).toBeUndefined();
    expect(match('/v1/runs/r%31/result')).toBeUndefined();
    expect(match('/v1/runs/r1')).toBeUndefined();
    expect(match('/v1/runs/r1/result/')).toBeUndefined();
    expect(match('/v1/Runs/r1/result')).toBeUndefined();
  });
});
