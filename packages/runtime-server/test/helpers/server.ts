// Starts a runtime server for a test on 127.0.0.1:0 over a fresh temp trace dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@arp-ts/service-kit';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import {
  startRuntimeServer,
  type RuntimeStats,
  type StartRuntimeServerOptions,
} from '../../src/index.js';
import { createGate, type Gate } from './gate.js';

export interface TestServer {
  url: string;
  traceDir: string;
  gate: Gate;
  stats(): RuntimeStats;
  close(): Promise<void>;
}

export async function tempDir(prefix = 'arp-runtime-server-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function startTestServer(
  options: Partial<StartRuntimeServerOptions> = {},
): Promise<TestServer> {
  const gate = createGate();
  const traceDir = options.traceDir ?? (await tempDir());
  const server = await startRuntimeServer({
    toolRegistry: createToolRegistry({ domains: [gate.domain] }),
    logger: silentLogger,
    shutdownGraceMs: 1_000,
    ...options,
    traceDir,
    host: '127.0.0.1',
    port: 0,
    portExplicit: true,
  });
  return {
    url: server.url,
    traceDir,
    gate,
    stats: server.stats,
    close: async () => {
      await server.close();
      if (!options.traceDir) await rm(traceDir, { recursive: true, force: true });
    },
  };
}
