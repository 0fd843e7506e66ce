// The messages between a cluster's primary and its shard workers (over cluster's IPC channel),
// and the environment variable that tells a worker which shard it is.

/** JSON of WorkerAssignment, set by the primary on each worker it forks. */
export const CLUSTER_ENV = 'ARP_RUNTIME_CLUSTER';

export interface WorkerAssignment {
  index: number;
  count: number;
  /** Where every shard listens publicly (a port the primary has resolved; never a fallback). */
  host: string;
  port: number;
}

/** Worker to primary. */
export type ShardReport =
  | { arp: 'shard-up'; index: number; peerUrl: string }
  | { arp: 'shard-listening'; index: number }
  | { arp: 'shard-failed'; index: number; message: string };

/** Primary to worker. */
export type ShardCommand =
  /** The private URL of every shard (null: not up), in shard order. */
  { arp: 'shard-peers'; peers: (string | null)[] } | { arp: 'shard-stop' };

function isMessage(value: unknown): value is { arp: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { arp?: unknown }).arp === 'string'
  );
}

export function isShardReport(value: unknown): value is ShardReport {
  return isMessage(value) && value.arp.startsWith('shard-') && 'index' in value;
}

export function isShardCommand(value: unknown): value is ShardCommand {
  return isMessage(value) && (value.arp === 'shard-peers' || value.arp === 'shard-stop');
}

/** The assignment in `env`, or undefined when this process is not a runtime cluster worker. */
export function assignmentFrom(env: NodeJS.ProcessEnv): WorkerAssignment | undefined {
  const text = env[CLUSTER_ENV];
  if (text === undefined) return undefined;
  const value = JSON.parse(text) as Partial<WorkerAssignment>;
  const { index, count, host, port } = value;
  if (
    typeof index !== 'number' ||
    typeof count !== 'number' ||
    typeof host !== 'string' ||
    typeof port !== 'number'
  ) {
    throw new TypeError(`${CLUSTER_ENV} is not a runtime cluster assignment`);
  }
  return { index, count, host, port };
}

/** True in a worker process forked by startRuntimeCluster. */
export function isRuntimeClusterWorker(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[CLUSTER_ENV] !== undefined;
}
