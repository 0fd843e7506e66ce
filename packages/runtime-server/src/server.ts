// startRuntimeServer: createRuntimeServer plus an HTTP listener with the port rules of our CLIs.
import { createServer, type RequestListener, type Server } from 'node:http';
import { closeServer, listenWithFallback } from '@arp-ts/service-kit';
import { createRuntimeServer, type RuntimeStats } from './app.js';
import type { RuntimeServerOptions } from './options.js';

/** The default port of `arp-runtime serve`. */
export const DEFAULT_PORT = 8081;

export interface StartRuntimeServerOptions extends RuntimeServerOptions {
  host?: string;
  /** Default 8081; 0 picks a free port. */
  port?: number;
  /** The user chose the port: a taken port is an error unless autoPort. */
  portExplicit?: boolean;
  autoPort?: boolean;
}

export interface StartedRuntimeServer {
  url: string;
  port: number;
  /** Graceful stop: no new runs, running runs finish (within the grace), then the listener closes. */
  close(): Promise<void>;
  stats(): RuntimeStats;
}

/** An HTTP server for a runtime's listener, with the keep-alive rule of every runtime listener. */
export function createRuntimeHttpServer(handler: RequestListener): Server {
  const server = createServer(handler);
  // Keep-alive longer than common proxies' idle timeout, so they never reuse a closed socket.
  server.keepAliveTimeout = 65_000;
  return server;
}

export async function startRuntimeServer(
  options: StartRuntimeServerOptions,
): Promise<StartedRuntimeServer> {
  const runtime = await createRuntimeServer(options);
  const server = createRuntimeHttpServer(runtime.handler);
  let address;
  try {
    address = await listenWithFallback(server, {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? DEFAULT_PORT,
      portExplicit: options.portExplicit ?? false,
      autoPort: options.autoPort ?? false,
    });
  } catch (err) {
    await runtime.close();
    throw err;
  }
  runtime.logger.info('runtime server listening', { url: address.url });
  let closing: Promise<void> | undefined;
  return {
    url: address.url,
    port: address.port,
    close: () =>
      (closing ??= (async () => {
        runtime.logger.info('runtime server stopping', { url: address.url });
        await runtime.close();
        await closeServer(server, 1_000);
        runtime.logger.info('runtime server stopped', { url: address.url });
      })()),
    stats: runtime.stats,
  };
}
