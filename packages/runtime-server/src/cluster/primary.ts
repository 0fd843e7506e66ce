// The primary of a runtime cluster: forks one worker per shard, tells each where the others
// listen, restarts a worker that dies (its replacement recovers the shard's runs from the store,
// as a restart would) and stops them all on close(). It serves no request itself: the workers
// share the public port through the cluster module, which hands them connections in turn.
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import {
  closeServer,
  createLogger,
  formatUrl,
  listenWithFallback,
  type Logger,
} from '@arp-ts/service-kit';
import { DEFAULT_SERVICE_NAME } from '../version.js';
import { CLUSTER_ENV, isShardReport, type ShardReport, type WorkerAssignment } from './protocol.js';
import { checkShard } from './shards.js';

export interface RuntimeClusterOptions {
  /** Shards, one worker process each (>= 1). */
  workers: number;
  host?: string;
  /** Default 8081; 0 picks a free port; the rules of startRuntimeServer otherwise. */
  port?: number;
  portExplicit?: boolean;
  autoPort?: boolean;
  /** The script workers run (default: this process's main script, with its arguments). */
  exec?: string;
  args?: string[];
  /** Default: a JSON logger named `arp-runtime` (LOG_LEVEL sets its level). */
  logger?: Logger;
  /** How long a stopping worker may take before it is killed (default 30 s). */
  stopTimeoutMs?: number;
}

export interface StartedRuntimeCluster {
  url: string;
  port: number;
  /** The process id of each shard's worker now, in shard order. */
  workerPids(): number[];
  /** Stops every worker gracefully (each finishes its runs within its grace), then resolves. */
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  peerUrl: string | null;
  listening: boolean;
  /** Restarts of this shard in a row that died within RESTART_WINDOW_MS of starting. */
  quickDeaths: number;
  startedMs: number;
}

const RESTART_WINDOW_MS = 10_000;
const MAX_RESTART_DELAY_MS = 5_000;

/** Resolves the public port once, so every worker listens on the same one. */
async function resolvePort(options: RuntimeClusterOptions, host: string): Promise<number> {
  const probe = createServer();
  const address = await listenWithFallback(probe, {
    host,
    port: options.port ?? 8081,
    portExplicit: options.portExplicit ?? false,
    autoPort: options.autoPort ?? false,
  });
  await closeServer(probe, 0);
  return address.port;
}

export async function startRuntimeCluster(
  options: RuntimeClusterOptions,
): Promise<StartedRuntimeCluster> {
  if (!cluster.isPrimary) throw new Error('startRuntimeCluster runs in the primary process');
  const count = options.workers;
  checkShard(0, count);
  const logger = options.logger ?? createLogger({ name: DEFAULT_SERVICE_NAME });
  const host = options.host ?? '127.0.0.1';
  const port = await resolvePort(options, host);
  const url = formatUrl(host, port);
  cluster.setupPrimary({
    ...(options.exec !== undefined ? { exec: options.exec } : {}),
    ...(options.args !== undefined ? { args: options.args } : {}),
  });

  const slots: Slot[] = [];
  let stopping = false;
  let started = false;
  let settleStart!: (err?: Error) => void;
  const start = new Promise<void>((resolve, reject) => {
    settleStart = (err) => (err ? reject(err) : resolve());
  });

  const broadcastPeers = (): void => {
    const peers = slots.map((s) => s.peerUrl);
    if (peers.length < count || peers.some((p) => p === null)) return;
    for (const slot of slots) {
      if (slot.worker.isConnected()) slot.worker.send({ arp: 'shard-peers', peers });
    }
  };

  const onReport = (index: number, message: ShardReport): void => {
    const slot = slots[index];
    if (!slot || message.index !== index) return;
    if (message.arp === 'shard-up') {
      slot.peerUrl = message.peerUrl;
      broadcastPeers();
    } else if (message.arp === 'shard-listening') {
      slot.listening = true;
      if (!started && slots.length === count && slots.every((s) => s.listening)) {
        started = true;
        settleStart();
      }
    } else {
      logger.error('runtime shard failed to start', { shard: index, error: message.message });
      if (!started) settleStart(new Error(`shard ${index} failed to start: ${message.message}`));
    }
  };

  const fork = (index: number): Worker => {
    const assignment: WorkerAssignment = { index, count, host, port };
    const worker = cluster.fork({ [CLUSTER_ENV]: JSON.stringify(assignment) });
    worker.on('message', (message: unknown) => {
      if (isShardReport(message)) onReport(index, message);
    });
    // A worker whose channel broke is handled by its 'exit'.
    worker.on('error', (err) => logger.warn('runtime shard channel error', { shard: index, err }));
    worker.once('exit', (code, signal) => onExit(index, worker, code, signal));
    return worker;
  };

  const onExit = (index: number, worker: Worker, code: number | null, signal: string | null) => {
    const slot = slots[index];
    if (!slot || slot.worker !== worker || stopping) return;
    if (!started) {
      settleStart(new Error(`shard ${index} exited while starting (${signal ?? code})`));
      return;
    }
    slot.quickDeaths = Date.now() - slot.startedMs < RESTART_WINDOW_MS ? slot.quickDeaths + 1 : 0;
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, 100 * 2 ** slot.quickDeaths);
    logger.error('runtime shard died; restarting it', {
      shard: index,
      pid: worker.process.pid,
      exit: signal ?? code,
      delay_ms: delayMs,
    });
    slot.peerUrl = null;
    slot.listening = false;
    setTimeout(() => {
      if (stopping) return;
      slot.worker = fork(index);
      slot.startedMs = Date.now();
    }, delayMs).unref();
  };

  for (let index = 0; index < count; index++) {
    slots.push({
      worker: fork(index),
      peerUrl: null,
      listening: false,
      quickDeaths: 0,
      startedMs: Date.now(),
    });
  }

  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      stopping = true;
      await Promise.all(slots.map((slot) => stopWorker(slot.worker, stopTimeoutMs)));
      logger.info('runtime cluster stopped', { url });
    })());

  try {
    await start;
  } catch (err) {
    await close();
    throw err;
  }
  logger.info('runtime cluster listening', {
    url,
    workers: count,
    pids: slots.map((s) => s.worker.process.pid),
  });
  return {
    url,
    port,
    workerPids: () => slots.map((s) => s.worker.process.pid ?? -1),
    close,
  };
}

/** Asks a worker to stop; kills it when it has not exited within `timeoutMs`. */
function stopWorker(worker: Worker, timeoutMs: number): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => worker.kill('SIGKILL'), timeoutMs);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (worker.isConnected()) worker.send({ arp: 'shard-stop' });
    else worker.kill('SIGTERM');
  });
}
