// Runs the README's examples with plain node against small local stand-ins of an ARP runtime
// and tool registry, so the documented code is known to work. Needs dist/ (turbo builds first).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { echoTool, health, runEvent, sseFrame } from './support/fixtures.js';

const run = promisify(execFile);
const packageDir = path.resolve(import.meta.dirname, '..');
const servers: Server[] = [];

beforeAll(() => {
  if (!existsSync(path.join(packageDir, 'dist/index.js'))) {
    throw new Error(
      'packages/arp-sdk/dist is missing: build first (npx tsc -p tsconfig.build.json)',
    );
  }
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function example(name: string, ...args: string[]) {
  return run(process.execPath, [path.join(packageDir, 'examples', name), ...args], {
    cwd: packageDir,
    env: { ...process.env, ARP_TOKEN: 'example-token' },
    // Bounds a hung example only: node starts in seconds when every package tests on two cores.
    timeout: 45_000,
  });
}

describe('examples', () => {
  it('run-and-follow.mjs submits a run, follows its events and prints the result', async () => {
    let goal = '';
    let auth: string | undefined;
    const url = await serve((req, res, body) => {
      const route = `${req.method} ${req.url}`;
      if (route === 'GET /v1/health') return json(res, 200, health);
      if (route === 'POST /v1/runs') {
        auth = req.headers.authorization;
        goal = (JSON.parse(body) as { input: { goal: string } }).input.goal;
        return json(res, 200, { run_id: 'run_ex', state: 'queued' });
      }
      if (route === 'GET /v1/runs/run_ex/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(
          ['step', 'tool_call', 'final']
            .map((t, i) => sseFrame(runEvent('run_ex', i, t as 'step')))
            .join(''),
        );
        return;
      }
      if (route === 'GET /v1/runs/run_ex/result') {
        return json(res, 200, { run_id: 'run_ex', ok: true, output: { answer: `echo: ${goal}` } });
      }
      json(res, 404, { error: { code: 'route.not_found', message: route } });
    });
    const { stdout } = await example('run-and-follow.mjs', url, 'Say hi.');
    expect(auth).toBe('Bearer example-token');
    expect(stdout.split('\n')).toEqual([
      `runtime at ${url} is ok`,
      'run run_ex is queued',
      '  #0 step',
      '  #1 tool_call',
      '  #2 final',
      'output: {"answer":"echo: Say hi."}',
      '',
    ]);
  });

  it('run-and-follow.mjs reports an unreachable runtime with its error code', async () => {
    const url = await serve((_req, res) => json(res, 200, health));
    const closed = servers.pop();
    closed?.closeAllConnections();
    await new Promise<void>((resolve) => closed?.close(() => resolve()));
    const failure = await example('run-and-follow.mjs', url).then(
      () => undefined,
      (e: unknown) => e as { code?: number; stderr?: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('client.network_error (HTTP 0)');
  });

  it('list-tools.mjs lists tools and invokes echo', async () => {
    const url = await serve((req, res, body) => {
      const route = `${req.method} ${req.url}`;
      if (route === 'GET /v1/tools') return json(res, 200, [echoTool]);
      if (route === 'POST /v1/tool-invocations') {
        const request = JSON.parse(body) as { invocation_id: string; args: { text: string } };
        return json(res, 200, {
          invocation_id: request.invocation_id,
          ok: true,
          result: request.args,
        });
      }
      json(res, 404, { error: { code: 'route.not_found', message: route } });
    });
    const { stdout } = await example('list-tools.mjs', url);
    expect(stdout.split('\n')).toEqual([
      'tool_echo  echo: Answers its text.',
      'echo: {"text":"hello from the SDK"}',
      '',
    ]);
  });
});
