export { createRuntimeServer, type RuntimeServer, type RuntimeStats } from './app.js';
export {
  startRuntimeServer,
  DEFAULT_PORT,
  type StartRuntimeServerOptions,
  type StartedRuntimeServer,
} from './server.js';
export { DEFAULTS, type RuntimeServerOptions } from './options.js';
export type { AuthOptions } from './http/auth.js';
export { MAX_WAIT_SECONDS, parsePreferWait } from './http/prefer.js';
export { RUN_ID_PATTERN, isSafeRunId, newRunId } from './run-id.js';
export type { RunLog, RunRecord, RunStore } from './store/run-store.js';
export {
  FileRunStore,
  UnsafeRunIdError,
  REQUEST_FILE,
  STATUS_FILE,
  RESULT_FILE,
  EVENTS_FILE,
  TRACE_FILE,
  type FileRunStoreOptions,
} from './store/file-store.js';
export type { StoreWriter, WriterKind } from './store/store-writer.js';
export { MemoryRunStore } from './store/memory-store.js';
export { DEFAULT_SERVICE_NAME, type BuildInfo } from './version.js';
export {
  startRuntimeCluster,
  type RuntimeClusterOptions,
  type StartedRuntimeCluster,
} from './cluster/primary.js';
export { startRuntimeWorker, type StartedRuntimeWorker } from './cluster/worker.js';
export { isRuntimeClusterWorker } from './cluster/protocol.js';
export { shardOf, type ShardContext } from './cluster/shards.js';
