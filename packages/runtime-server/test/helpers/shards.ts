// Shards of a cluster in this process, without node:cluster: each a runtime with `shard` set, a
// private listener (peerHandler) and a public listener of its own on 127.0.0.1:0, over one
// shared trace dir, as the workers of a cluster run. Requests can land on any shard's public URL.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { closeServer, formatUrl, silentLogger } from '@arp-ts/service-kit';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import {
  createRuntimeServer,
  shardOf,
  type RuntimeServer,
  type RuntimeServerOptions,
} from '../../src/index.js';
import { createRuntimeHttpServer } from '../../src/server.js';
import { createGate, type Gate } from './gate.js';
import { tempDir } from './server.js';

export interface TestShard {
  index: number;
  runtime: RuntimeServer;
  /** Where clients reach this shard. */
  url: string;
  /** Where the other shards reach it. */
  peerUrl: string;
}

export interface TestShards {
  shards: TestShard[];
  traceDir: string;
  gate: Gate;
  /** The public URL of the shard that owns `runId`, or of the one that does not (`other`). */
  urlOf(runId: string, which?: 'owner' | 'other'): string;
  /** Stops shard `i`'s private listener: the other shards can no longer reach it. */
  stopPeer(i: number): Promise<void>;
  /** Makes shard `i` unknown to its peers, as while it restarts; returns what undoes it. */
  forgetPeer(i: number): () => void;
  close(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      server.off('error', reject);
      resolve(formatUrl('127.0.0.1', (server.address() as AddressInfo).port));
    });
  });
}

/** A run id of `count` shards that shard `index` owns: `prefix-N` for the first N that fits. */
export function idOwnedBy(index: number, count: number, prefix: string): string {
  for (let n = 0; ; n++) {
    const id = `${prefix}-${n}`;
    if (shardOf(id, count) === index) return id;
  }
}

export async function startShards(
  count = 2,
  options: Partial<RuntimeServerOptions> = {},
): Promise<TestShards> {
  const gate = createGate();
  // A given trace dir outlives the shards (a restart over it); a fresh one is removed with them.
  const traceDir = options.traceDir ?? (await tempDir('arp-runtime-shards-'));
  const peerUrls: (string | undefined)[] = new Array<string | undefined>(count).fill(undefined);
  const servers: Server[] = [];
  const shards: TestShard[] = [];
  for (let index = 0; index < count; index++) {
    const runtime = await createRuntimeServer({
      toolRegistry: createToolRegistry({ domains: [gate.domain] }),
      logger: silentLogger,
      shutdownGraceMs: 1_000,
      traceDir,
      ...options,
      shard: { index, count, peerUrl: (i) => peerUrls[i] },
    });
    if (!runtime.peerHandler) throw new Error('a shard runtime has a peerHandler');
    const peerServer = createRuntimeHttpServer(runtime.peerHandler);
    const publicServer = createRuntimeHttpServer(runtime.handler);
    servers.push(peerServer, publicServer);
    const peerUrl = await listen(peerServer);
    peerUrls[index] = peerUrl;
    shards.push({ index, runtime, url: await listen(publicServer), peerUrl });
  }
  const shardAt = (i: number): TestShard => {
    const shard = shards[i];
    if (!shard) throw new Error(`no shard ${i}`);
    return shard;
  };
  return {
    shards,
    traceDir,
    gate,
    urlOf(runId, which = 'owner') {
      const owner = shardOf(runId, count);
      return shardAt(which === 'owner' ? owner : (owner + 1) % count).url;
    },
    async stopPeer(i) {
      const server = servers[2 * i];
      if (server) await closeServer(server, 0);
    },
    forgetPeer(i) {
      const known = peerUrls[i];
      peerUrls[i] = undefined;
      return () => (peerUrls[i] = known);
    },
    async close() {
      await Promise.all(shards.map((s) => s.runtime.close()));
      await Promise.all(servers.map((s) => closeServer(s, 0)));
      if (options.traceDir === undefined) await rm(traceDir, { recursive: true, force: true });
    },
  };
}
