// One shard worker of a runtime cluster: the runtime (with its shard), a private listener on
// loopback for the other shards, and the public listener it shares with them through the
// cluster module. The primary (startRuntimeCluster) starts it, tells it where its peers are and
// when to stop; the worker never stops on a signal of its own, so a Ctrl-C reaching the whole
// process group cannot make the primary restart workers that are shutting down. A primary that
// dies takes its workers with it (node:cluster exits a worker whose channel drops); their
// unfinished runs end `runtime.interrupted` at the next start, as after any crash.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, formatUrl } from '@arp-ts/service-kit';
import { createRuntimeServer, type RuntimeStats } from '../app.js';
import type { RuntimeServerOptions } from '../options.js';
import { createRuntimeHttpServer } from '../server.js';
import {
  assignmentFrom,
  isShardCommand,
  type ShardCommand,
  type ShardReport,
  type WorkerAssignment,
} from './protocol.js';
import type { ShardContext } from './shards.js';

export interface StartedRuntimeWorker {
  /** The cluster's public URL (every shard listens there). */
  url: string;
  shard: ShardContext;
  /** Resolves once the worker has stopped, as the primary asked. */
  stopped: Promise<void>;
  stats(): RuntimeStats;
}

function listen(server: Server, options: { host: string; port: number; exclusive: boolean }) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function report(message: ShardReport): void {
  process.send?.(message);
}

/** Starts this process's shard; `shard` of the options comes from the primary. */
export async function startRuntimeWorker(
  options: Omit<RuntimeServerOptions, 'shard'>,
): Promise<StartedRuntimeWorker> {
  const assignment = assignmentFrom(process.env);
  if (!assignment || !process.send) {
    throw new Error('startRuntimeWorker runs in a worker forked by startRuntimeCluster');
  }
  try {
    return await startShard(options, assignment);
  } catch (err) {
    report({ arp: 'shard-failed', index: assignment.index, message: String(err) });
    throw err;
  }
}

async function startShard(
  options: Omit<RuntimeServerOptions, 'shard'>,
  assignment: WorkerAssignment,
): Promise<StartedRuntimeWorker> {
  const { index, count } = assignment;
  let peers: (string | null)[] = [];
  let peersKnown!: () => void;
  const known = new Promise<void>((resolve) => (peersKnown = resolve));
  let stop!: () => void;
  const stopAsked = new Promise<void>((resolve) => (stop = resolve));
  const onCommand = (message: unknown): void => {
    if (!isShardCommand(message)) return;
    const command: ShardCommand = message;
    if (command.arp === 'shard-stop') return stop();
    peers = command.peers;
    peersKnown();
  };
  process.on('message', onCommand);
  // The primary decides when workers stop (see the header comment).
  const ignore = (): void => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);

  const shard: ShardContext = { index, count, peerUrl: (i) => peers[i] ?? undefined };
  const runtime = await createRuntimeServer({ ...options, shard });
  const peerServer = createRuntimeHttpServer(runtime.peerHandler ?? runtime.handler);
  // exclusive: a listener of this worker alone, not one shared through the primary.
  await listen(peerServer, { host: '127.0.0.1', port: 0, exclusive: true });
  const peerPort = (peerServer.address() as AddressInfo).port;
  report({ arp: 'shard-up', index, peerUrl: formatUrl('127.0.0.1', peerPort) });
  await Promise.race([known, stopAsked]);

  const publicServer = createRuntimeHttpServer(runtime.handler);
  const url = formatUrl(assignment.host, assignment.port);
  await listen(publicServer, { host: assignment.host, port: assignment.port, exclusive: false });
  runtime.logger.info('runtime shard listening', { url, shard: index, shards: count });
  report({ arp: 'shard-listening', index });

  const stopped = stopAsked.then(async () => {
    runtime.logger.info('runtime shard stopping', { shard: index });
    await runtime.close();
    await Promise.all([closeServer(publicServer, 1_000), closeServer(peerServer, 1_000)]);
    process.off('message', onCommand);
    process.off('SIGINT', ignore);
    process.off('SIGTERM', ignore);
    if (process.connected) process.disconnect();
  });
  return { url, shard, stopped, stats: runtime.stats };
}
