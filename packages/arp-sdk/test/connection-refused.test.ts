// Real sockets, no msw: a closed port on 127.0.0.1 refuses the connection, so the request surely
// never reached a server and even a POST may be sent again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ArpApiError, RuntimeClient, ToolRegistryClient } from '@arp-ts/sdk';
import { runStatus } from './support/fixtures.js';

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A port that was free a moment ago: nothing listens on it now. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function listenOn(port: number, body: unknown): Promise<Server> {
  const s = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new Promise((resolve) => s.listen(port, '127.0.0.1', () => resolve(s)));
}

describe('connection refused', () => {
  it('retries a POST whose connection was refused, up to maxAttempts', async () => {
    const port = await closedPort();
    let attempts = 0;
    const client = new ToolRegistryClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const error = await client.invokeTool({ invocation_id: 'i', tool_id: 't', args: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ArpApiError);
    expect(error).toMatchObject({
      status: 0,
      code: 'client.network_error',
      retryable: true,
      details: { cause: 'ECONNREFUSED' },
    });
    expect(attempts).toBe(3);
  });

  it('succeeds when the server comes up between attempts', async () => {
    const port = await closedPort();
    let attempts = 0;
    const client = new RuntimeClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      fetch: async (input, init) => {
        attempts++;
        try {
          return await fetch(input, init);
        } finally {
          if (attempts === 1) server = await listenOn(port, runStatus('run_1'));
        }
      },
    });
    await expect(client.createRun({ input: { goal: 'g' } })).resolves.toEqual(runStatus('run_1'));
    expect(attempts).toBe(2);
  });

  it('does not retry a POST whose connection was reset after it was sent', async () => {
    server = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    let attempts = 0;
    const client = new ToolRegistryClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const error = await client.invokeTool({ invocation_id: 'i', tool_id: 't', args: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'client.network_error' });
    expect(attempts).toBe(1);
  });
});
