// Starts the server processes of the HTTP figures, each with its own trace directory.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startChild, type Child } from './child.js';

export interface ProcessOptions {
  /** Node flags for profiling, e.g. ['--cpu-prof', '--cpu-prof-dir=...']. */
  nodeFlags: string[];
}

export function startCeiling(options: ProcessOptions): Promise<Child> {
  // Figure 2 is the bare server: no cost per request and one process, whatever the environment.
  const env = { BENCH_CEILING_BUSY_US: '0', BENCH_CEILING_WORKERS: '1' };
  return startChild({ fixture: 'ceiling-server.js', env, nodeFlags: options.nodeFlags });
}

export function startRegistry(options: ProcessOptions): Promise<Child> {
  return startChild({ fixture: 'tool-registry.js', nodeFlags: options.nodeFlags });
}

export interface RuntimeProcessOptions extends ProcessOptions {
  /** A fresh directory for the file store. */
  traceDir: string;
  registryUrl?: string;
  slow?: boolean;
  maxConcurrentRuns?: number;
  /** More than 1: a runtime cluster of that many worker processes. */
  workers?: number;
}

export async function startRuntime(options: RuntimeProcessOptions): Promise<Child> {
  await mkdir(options.traceDir, { recursive: true });
  const env: Record<string, string> = { BENCH_TRACE_DIR: path.resolve(options.traceDir) };
  if (options.registryUrl) env.BENCH_REGISTRY_URL = options.registryUrl;
  if (options.slow) env.BENCH_SLOW = '1';
  if (options.maxConcurrentRuns) env.BENCH_MAX_CONCURRENT = String(options.maxConcurrentRuns);
  if (options.workers) env.BENCH_WORKERS = String(options.workers);
  return startChild({ fixture: 'runtime-server.js', env, nodeFlags: options.nodeFlags });
}
