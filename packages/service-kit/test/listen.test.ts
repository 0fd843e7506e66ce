import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError, closeServer, listenWithFallback } from '@arp-ts/service-kit';

const servers: Server[] = [];
function server(): Server {
  const s = createServer((_req, res) => res.end('ok'));
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => closeServer(s)));
});

async function takenPort(): Promise<number> {
  return (await listenWithFallback(server(), { port: 0 })).port;
}

describe('listenWithFallback', () => {
  it('port 0 picks a free port and reports its URL', async () => {
    const addr = await listenWithFallback(server(), { port: 0 });
    expect(addr.port).toBeGreaterThan(0);
    expect(addr.url).toBe(`http://127.0.0.1:${addr.port}`);
    expect(await (await fetch(addr.url)).text()).toBe('ok');
  });

  it('falls back to a free port when the default port is taken', async () => {
    const port = await takenPort();
    const addr = await listenWithFallback(server(), { port, portExplicit: false });
    expect(addr.port).not.toBe(port);
  });

  it('fails when an explicit port is taken', async () => {
    const port = await takenPort();
    await expect(listenWithFallback(server(), { port, portExplicit: true })).rejects.toBeInstanceOf(
      PortInUseError,
    );
  });

  it('falls back for an explicit taken port with autoPort', async () => {
    const port = await takenPort();
    const addr = await listenWithFallback(server(), { port, portExplicit: true, autoPort: true });
    expect(addr.port).not.toBe(port);
  });

  it('brackets IPv6 hosts in the URL', async () => {
    const addr = await listenWithFallback(server(), { host: '::1', port: 0 }).catch(
      () => undefined,
    );
    if (addr) expect(addr.url).toBe(`http://[::1]:${addr.port}`);
    else expect(addr).toBeUndefined(); // no IPv6 loopback on this machine
  });
});
