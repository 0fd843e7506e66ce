// Options of the runtime server, with their defaults.
import type { ModelRoles, ToolRegistryPort } from '@arp-ts/runtime-core';
import type { Logger } from '@arp-ts/service-kit';
import type { ShardContext } from './cluster/shards.js';
import type { AuthOptions } from './http/auth.js';
import type { RunStore } from './store/run-store.js';
import type { BuildInfo } from './version.js';

export interface RuntimeServerOptions {
  /** Where tools are listed and invoked (the in-process registry or the HTTP adapter). */
  toolRegistry: ToolRegistryPort;
  /** Planner, tool-args and chat models; default: runtime-core's stub models. */
  models?: ModelRoles;
  /** Directory of the file store (`<traceDir>/<run_id>/...`). Required unless `store` is given. */
  traceDir?: string;
  /** Another RunStore (e.g. MemoryRunStore); replaces the file store under traceDir. */
  store?: RunStore;
  /** Runs executing at once (default 64). */
  maxConcurrentRuns?: number;
  /** Runs waiting for a worker before POST /v1/runs answers 429 (default 10,000). */
  maxQueuedRuns?: number;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Bearer-JWT authentication; off unless jwtSecret or jwksUrl is set. */
  auth?: AuthOptions;
  /** Replace prompts in `llm_call` trace events by a digest. */
  redactPrompts?: boolean;
  /** How long running runs may go on after close() before they are canceled (default 10 s). */
  shutdownGraceMs?: number;
  logger?: Logger;
  /** service_name of GET /v1/version (default `arp-runtime`). */
  serviceName?: string;
  /** build of GET /v1/version; default from ARP_BUILD_COMMIT / ARP_BUILD_TIME / ARP_BUILD_DIRTY. */
  build?: BuildInfo;
  /** SSE heartbeat comment interval (default 15 s). */
  heartbeatMs?: number;
  /** Cap of `Prefer: wait=N` in seconds (default 60). */
  maxWaitSeconds?: number;
  /** Finished results kept in memory for fast reads (default 64). */
  resultCacheSize?: number;
  /** Health probe cache (default 5 s) and timeout (default 1 s). */
  healthCacheMs?: number;
  healthTimeoutMs?: number;
  /**
   * Makes this runtime one shard of a cluster (see startRuntimeCluster): it mints and recovers
   * only run ids it owns, and its `handler` sends requests about other shards' runs to them.
   */
  shard?: ShardContext;
}

export const DEFAULTS = {
  maxConcurrentRuns: 64,
  maxQueuedRuns: 10_000,
  bodyLimitBytes: 1024 * 1024,
  shutdownGraceMs: 10_000,
  heartbeatMs: 15_000,
  maxWaitSeconds: 60,
  /** Bytes buffered for a slow SSE client before its stream is dropped. */
  sseMaxBufferedBytes: 8 * 1024 * 1024,
} as const;

/** A non-negative integer option, or the default; anything else is a programming error. */
export function nonNegativeInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}
