import { createServer, type Server } from 'node:http';
import { validateErrorEnvelope } from '@arp-ts/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpError,
  closeServer,
  createBaseApp,
  createLogger,
  finishApp,
  listenWithFallback,
  methodNotAllowed,
} from '@arp-ts/service-kit';

const lines: string[] = [];
const logger = createLogger({ name: 'test', level: 'info', write: (l) => lines.push(l) });
let server: Server;
let base: string;

beforeAll(async () => {
  const app = createBaseApp({ logger, limitBytes: 1024, maxDepth: 8 });
  app
    .route('/echo')
    .post((req, res) => {
      res.json({ body: req.body as unknown });
    })
    .all(methodNotAllowed(['POST']));
  app.get('/items/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  app.get('/boom', () => {
    throw new Error('secret detail');
  });
  app.get('/teapot', () => {
    throw new HttpError(409, 'run.already_exists', 'exists', { run_id: 'x' });
  });
  finishApp(app, logger);
  server = createServer(app);
  base = (await listenWithFallback(server, { port: 0 })).url;
});

afterAll(() => closeServer(server));

async function call(path: string, init?: RequestInit) {
  const res = await fetch(base + path, init);
  const body: unknown = await res.json();
  return { res, body };
}

function expectEnvelope(body: unknown, code: string) {
  expect(validateErrorEnvelope(body).ok).toBe(true);
  expect((body as { error: { code: string } }).error.code).toBe(code);
}

const json = { 'content-type': 'application/json' };

describe('createBaseApp', () => {
  it('parses JSON and sets a request id', async () => {
    const { res, body } = await call('/echo', { method: 'POST', headers: json, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(body).toEqual({ body: { a: 1 } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a safe caller request id and replaces an unsafe one', async () => {
    const ok = await call('/echo', {
      method: 'POST',
      headers: { ...json, 'x-request-id': 'abc-123' },
      body: '{}',
    });
    expect(ok.res.headers.get('x-request-id')).toBe('abc-123');
    const bad = await call('/echo', {
      method: 'POST',
      headers: { ...json, 'x-request-id': 'a b<c>' },
      body: '{}',
    });
    expect(bad.res.headers.get('x-request-id')).not.toBe('a b<c>');
  });

  it('answers invalid JSON with 400 request.invalid_json', async () => {
    const { res, body } = await call('/echo', { method: 'POST', headers: json, body: '{"a":' });
    expect(res.status).toBe(400);
    expectEnvelope(body, 'request.invalid_json');
  });

  it('answers a body over the limit with 413 request.too_large', async () => {
    const { res, body } = await call('/echo', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ s: 'x'.repeat(2000) }),
    });
    expect(res.status).toBe(413);
    expectEnvelope(body, 'request.too_large');
  });

  it('refuses documents nested deeper than the limit', async () => {
    const deep = '['.repeat(20) + ']'.repeat(20);
    const { res, body } = await call('/echo', { method: 'POST', headers: json, body: deep });
    expect(res.status).toBe(400);
    expectEnvelope(body, 'request.invalid_shape');
  });

  it('refuses a non-JSON body with 415', async () => {
    const { res, body } = await call('/echo', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(res.status).toBe(415);
    expectEnvelope(body, 'request.unsupported_media_type');
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const { res, body } = await call('/echo', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expectEnvelope(body, 'request.method_not_allowed');
  });

  it('answers an undecodable path parameter with 400 request.invalid_path, not a 500', async () => {
    expect((await call('/items/a%20b')).body).toEqual({ id: 'a b' });
    const { res, body } = await call('/items/%zz');
    expect(res.status).toBe(400);
    expectEnvelope(body, 'request.invalid_path');
  });

  it('answers an unknown route with 404 route.not_found', async () => {
    const { res, body } = await call('/nope');
    expect(res.status).toBe(404);
    expectEnvelope(body, 'route.not_found');
  });

  it('maps HttpError to its envelope and hides unexpected errors behind a 500', async () => {
    const conflict = await call('/teapot');
    expect(conflict.res.status).toBe(409);
    expect(conflict.body).toEqual({
      error: { code: 'run.already_exists', message: 'exists', details: { run_id: 'x' } },
    });
    const boom = await call('/boom');
    expect(boom.res.status).toBe(500);
    expectEnvelope(boom.body, 'runtime.internal_error');
    expect(JSON.stringify(boom.body)).not.toContain('secret detail');
    expect(lines.some((l) => l.includes('secret detail') && JSON.parse(l).level === 'error')).toBe(
      true,
    );
  });

  it('writes one JSON access-log line per request', async () => {
    lines.length = 0;
    await call('/nope', { headers: { 'x-request-id': 'log-me' } });
    await new Promise((r) => setTimeout(r, 10));
    const entry = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.request_id === 'log-me');
    expect(entry).toMatchObject({
      level: 'info',
      service: 'test',
      msg: 'request',
      method: 'GET',
      path: '/nope',
      status: 404,
    });
  });
});
