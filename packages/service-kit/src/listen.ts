import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  host?: string;
  /** 0 always picks a free port. */
  port: number;
  /** True when the user chose the port (flag or env): then a taken port is an error... */
  portExplicit?: boolean;
  /** ...unless autoPort allows falling back to a free port anyway. */
  autoPort?: boolean;
}

export interface ListeningAddress {
  host: string;
  port: number;
  url: string;
}

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `Port ${port} on ${host} is already in use (use --auto-port to fall back to a free port, or --port 0).`,
    );
    this.name = 'PortInUseError';
  }
}

export function formatUrl(host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}

function tryListen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Listens with the port rules of our CLIs: a default port that is taken falls back to a free one;
 * an explicit port that is taken fails unless autoPort; port 0 always picks a free one.
 */
export async function listenWithFallback(
  server: Server,
  options: ListenOptions,
): Promise<ListeningAddress> {
  const host = options.host ?? '127.0.0.1';
  try {
    await tryListen(server, host, options.port);
  } catch (err) {
    const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!inUse) throw err;
    if (options.portExplicit && !options.autoPort) throw new PortInUseError(host, options.port);
    await tryListen(server, host, 0);
  }
  const port = (server.address() as AddressInfo).port;
  return { host, port, url: formatUrl(host, port) };
}

/** Closes a server: stops accepting, ends idle keep-alive sockets, and force-closes after a grace. */
export function closeServer(server: Server, graceMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close((err) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
