import { mkdir, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { validateErrorEnvelope } from '@arp-ts/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRunStore, UnsafeRunIdError, isSafeRunId } from '../src/index.js';
import { postRun, expectError } from './helpers/http.js';
import { startTestServer, tempDir, type TestServer } from './helpers/server.js';

/** Sends a request with the path exactly as given (fetch would normalise `..`). */
function rawRequest(
  baseUrl: string,
  method: string,
  rawPath: string,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path: rawPath },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const LONG = 'a'.repeat(10 * 1024);

const hostilePathIds = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '..%2fx',
  '..%2F..%2Fetc%2Fpasswd',
  '%2Fetc%2Fpasswd',
  '%2Ftmp',
  'a%00b',
  'a%5Cb',
  '%zz',
  'run%20id',
  LONG,
];

const hostileBodyIds = [
  '..',
  '.',
  '../x',
  '../../etc/passwd',
  '/etc/passwd',
  '/tmp/x',
  'C:\\Windows',
  'a/b',
  'a\\b',
  'a\u0000b',
  '',
  'with space',
  'ünïcode',
  LONG,
  'a'.repeat(129),
];

describe('path-hostile run ids', () => {
  let sandbox: string;
  let server: TestServer;
  beforeAll(async () => {
    sandbox = await tempDir();
    const traceDir = path.join(sandbox, 'runs');
    await mkdir(traceDir);
    server = await startTestServer({ traceDir });
  });
  afterAll(async () => {
    await server.close();
    await rm(sandbox, { recursive: true, force: true });
  });

  it('refuses hostile run ids in a body with 400 request.invalid_run_id', async () => {
    for (const runId of hostileBodyIds) {
      const answer = await postRun(server.url, { run_id: runId, input: { goal: 'say x' } });
      expectError(answer, 400, 'request.invalid_run_id');
    }
  });

  it('refuses hostile run ids on every run route with 400 request.invalid_run_id', async () => {
    const routes: Array<[string, (id: string) => string]> = [
      ['GET', (id) => `/v1/runs/${id}`],
      ['GET', (id) => `/v1/runs/${id}/result`],
      ['GET', (id) => `/v1/runs/${id}/events`],
      ['POST', (id) => `/v1/runs/${id}:cancel`],
    ];
    for (const [method, route] of routes) {
      for (const id of hostilePathIds) {
        const answer = await rawRequest(server.url, method, route(id));
        expect(answer.status, `${method} ${route(id).slice(0, 80)}`).toBe(400);
        const envelope = validateErrorEnvelope(answer.body);
        expect(envelope.ok && envelope.value.error.code).toBe('request.invalid_run_id');
      }
    }
  });

  it('answers literal dot segments with an ErrorEnvelope, never a 5xx', async () => {
    for (const rawPath of ['/v1/runs/../x', '/v1/runs/../../etc/passwd', '/v1/runs/./x/../..']) {
      for (const method of ['GET', 'POST']) {
        const answer = await rawRequest(server.url, method, rawPath);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(validateErrorEnvelope(answer.body).ok).toBe(true);
      }
    }
  });

  it('created nothing in or beside the trace dir', async () => {
    expect(await readdir(sandbox)).toEqual(['runs']);
    expect(await readdir(path.join(sandbox, 'runs'))).toEqual([]);
  });

  it('the file store itself refuses unsafe ids', async () => {
    const store = new FileRunStore({ traceDir: path.join(sandbox, 'runs') });
    for (const id of hostileBodyIds) {
      expect(isSafeRunId(id)).toBe(false);
      expect(() => store.runDir(id)).toThrow(UnsafeRunIdError);
      await expect(store.readResult(id)).rejects.toThrow(UnsafeRunIdError);
    }
    expect(store.runDir('ok-id_1.2:3')).toBe(path.join(sandbox, 'runs', 'ok-id_1.2:3'));
  });
});
