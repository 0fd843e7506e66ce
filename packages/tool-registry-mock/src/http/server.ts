import { createServer } from 'node:http';
import { closeServer, createLogger, listenWithFallback, type Logger } from '@arp-ts/service-kit';
import { SERVICE_NAME } from '../api/service-info.js';
import { createToolRegistry, type ToolRegistry } from '../registry.js';
import type { ToolDomain } from '../types.js';
import { createToolRegistryListener } from './app.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8000;

export interface ToolRegistryServerOptions {
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** The user chose the port: if it is taken, fail (unless autoPort) instead of falling back. */
  portExplicit?: boolean;
  /** Fall back to a free port even when an explicit port is taken. */
  autoPort?: boolean;
  /** The registry to serve; built from `domains` (default: core) when absent. */
  registry?: ToolRegistry;
  domains?: ToolDomain[];
  logger?: Logger;
  bodyLimitBytes?: number;
  /** How long close() waits for in-flight requests before cutting connections (default 5 s). */
  shutdownGraceMs?: number;
}

export interface RunningToolRegistryServer {
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the HTTP Tool Registry. Rejects with PortInUseError when an explicit port is taken. */
export async function startToolRegistryServer(
  options: ToolRegistryServerOptions = {},
): Promise<RunningToolRegistryServer> {
  const logger = options.logger ?? createLogger({ name: SERVICE_NAME });
  const registry = options.registry ?? createToolRegistry({ domains: options.domains });
  const server = createServer(
    createToolRegistryListener({ registry, logger, bodyLimitBytes: options.bodyLimitBytes }),
  );
  const address = await listenWithFallback(server, {
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    portExplicit: options.portExplicit,
    autoPort: options.autoPort,
  });
  logger.info('listening', { url: address.url, domains: registry.domains });
  let closing: Promise<void> | undefined;
  return {
    ...address,
    close: () => {
      closing ??= closeServer(server, options.shutdownGraceMs);
      return closing;
    },
  };
}
