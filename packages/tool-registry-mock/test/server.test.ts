import { createServer, type Server } from 'node:net';
import { PortInUseError, silentLogger } from '@arp-ts/service-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startToolRegistryServer, type RunningToolRegistryServer } from '../src/index.js';

let blocker: Server;
let takenPort: number;
const started: RunningToolRegistryServer[] = [];

beforeEach(async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  takenPort = address.port;
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
  await new Promise<void>((resolve) => blocker.close(() => resolve()));
});

async function start(options: Parameters<typeof startToolRegistryServer>[0]) {
  const server = await startToolRegistryServer({ logger: silentLogger, ...options });
  started.push(server);
  return server;
}

describe('startToolRegistryServer port rules', () => {
  it('falls back to a free port when the default (non-explicit) port is taken', async () => {
    const server = await start({ host: '127.0.0.1', port: takenPort, portExplicit: false });
    expect(server.port).not.toBe(takenPort);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(`${server.url}/v1/health`);
    expect(res.status).toBe(200);
  });

  it('fails when an explicit port is taken', async () => {
    await expect(start({ port: takenPort, portExplicit: true })).rejects.toThrow(PortInUseError);
  });

  it('falls back for an explicit port with autoPort', async () => {
    const server = await start({ port: takenPort, portExplicit: true, autoPort: true });
    expect(server.port).not.toBe(takenPort);
  });

  it('picks a free port for port 0 and serves the given domains', async () => {
    const server = await start({ port: 0, portExplicit: true, domains: [] });
    const res = await fetch(`${server.url}/v1/tools`);
    expect(await res.json()).toEqual([]);
  });

  it('closes idempotently and stops answering', async () => {
    const server = await start({ port: 0 });
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${server.url}/v1/health`)).rejects.toThrow();
  });
});
