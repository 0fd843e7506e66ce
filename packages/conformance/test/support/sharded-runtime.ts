// Our Runtime as a cluster of shards, in one process: each shard is a runtime with its `shard`
// set, its private (peer) listener and its front handler, over one trace dir, as
// startRuntimeCluster's workers are. One public listener hands requests to the shards in turn
// (node:cluster hands out connections; per request is stricter), so most requests about a run
// reach a shard that does not own it and must be relayed.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createRuntimeServer,
  type RuntimeServer,
  type RuntimeServerOptions,
} from '@arp-ts/runtime-server';

export interface ShardedRuntime {
  url: string;
  close(): Promise<void>;
}

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function closeAll(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startShardedRuntime(
  count: number,
  options: Omit<RuntimeServerOptions, 'shard'>,
): Promise<ShardedRuntime> {
  const peerUrls: string[] = [];
  const runtimes: RuntimeServer[] = [];
  const servers: Server[] = [];
  for (let index = 0; index < count; index++) {
    const runtime = await createRuntimeServer({
      ...options,
      shard: { index, count, peerUrl: (i) => peerUrls[i] },
    });
    if (!runtime.peerHandler) throw new Error('a shard runtime has a peer handler');
    const peer = await listen(runtime.peerHandler);
    peerUrls[index] = peer.url;
    runtimes.push(runtime);
    servers.push(peer.server);
  }
  let next = 0;
  const front = await listen((req, res) => {
    const runtime = runtimes[next++ % count];
    runtime?.handler(req, res);
  });
  servers.push(front.server);
  return {
    url: front.url,
    close: async () => {
      await Promise.all(runtimes.map((r) => r.close()));
      await Promise.all(servers.map(closeAll));
    },
  };
}
