// Figures 2, 3 and 4: the bare-server ceiling at concurrency 64, and the runtime with the file
// store on, its tool registry embedded or in a third process, at concurrency 1, 16 and 64. The
// measurements are interleaved round by round (ceiling, embedded, HTTP registry, again), so a
// machine that gets busier or quieter affects all of them alike and each ratio pairs figures of
// the same round.
import path from 'node:path';
import { CONCURRENCIES, type BenchConfig } from '../config.js';
import {
  createLoadPool,
  runLoad,
  type LoadPool,
  type LoadRequest,
  type LoadResult,
} from '../load/load-generator.js';
import { urlOf, type Child } from '../procs/child.js';
import { startCeiling, startRegistry, startRuntime } from '../procs/servers.js';
import { createRunAndWait, invokeEcho } from './requests.js';

export type Concurrency = (typeof CONCURRENCIES)[number];

/** A load sample plus the CPU time the server processes used for it. */
export interface MeasuredLoad extends LoadResult {
  /** CPU time (user + system, all threads) of the server processes per successful request. */
  serverCpuUsPerRequest: number;
}

export interface HttpFigures {
  ceiling?: MeasuredLoad[];
  floor?: MeasuredLoad[];
  embedded?: Record<Concurrency, MeasuredLoad[]>;
  httpRegistry?: Record<Concurrency, MeasuredLoad[]>;
}

export interface HttpFigureContext {
  config: BenchConfig;
  scratchDir: string;
  nodeFlagsFor(name: string): string[];
  progress(message: string): void;
  /** Which of 'ceiling', 'floor', 'embedded' and 'http-registry' to measure. */
  wants(figure: string): boolean;
}

export interface Target {
  label: string;
  request: LoadRequest;
  pools: Map<number, LoadPool>;
  /** The processes serving this target (the runtime, and the registry behind it). */
  servers: Child[];
}

export function target(
  label: string,
  request: LoadRequest,
  concurrencies: readonly number[],
  server: Child,
  ...behind: Child[]
): Target {
  const origin = urlOf(server);
  const pools = new Map(concurrencies.map((c) => [c, createLoadPool(origin, c)] as const));
  return { label, request, pools, servers: [server, ...behind] };
}

async function cpuUs(servers: Child[]): Promise<number> {
  const all = await Promise.all(servers.map((s) => s.stats()));
  return all.reduce((sum, s) => sum + s.cpuUserUs + s.cpuSystemUs, 0);
}

export async function measure(
  t: Target,
  concurrency: number,
  requests: number,
): Promise<MeasuredLoad> {
  const pool = t.pools.get(concurrency);
  if (!pool) throw new Error(`no pool for ${t.label} at concurrency ${concurrency}`);
  const cpuBefore = await cpuUs(t.servers);
  const load = await runLoad({ pool, concurrency, requests, request: t.request });
  const cpuAfter = await cpuUs(t.servers);
  const result = { ...load, serverCpuUsPerRequest: (cpuAfter - cpuBefore) / load.completed };
  if (result.errors > 0) {
    process.stderr.write(
      `warning: ${t.label} c${concurrency}: ${result.errors} errors, e.g. ${result.errorSamples[0]}\n`,
    );
  }
  return result;
}

export async function measureHttpFigures(ctx: HttpFigureContext): Promise<HttpFigures> {
  const { config } = ctx;
  const children: Child[] = [];
  const targets: Target[] = [];
  const started = async (start: Promise<Child>): Promise<Child> => {
    const child = await start;
    children.push(child);
    return child;
  };
  const add = (t: Target): Target => {
    targets.push(t);
    return t;
  };
  try {
    let ceiling: Target | undefined;
    let floor: Target | undefined;
    let embedded: Target | undefined;
    let overHttp: Target | undefined;
    if (ctx.wants('ceiling')) {
      const child = await started(startCeiling({ nodeFlags: ctx.nodeFlagsFor('ceiling') }));
      ceiling = add(target('ceiling', createRunAndWait, [64], child));
    }
    if (ctx.wants('floor')) {
      const child = await started(startRegistry({ nodeFlags: ctx.nodeFlagsFor('floor') }));
      floor = add(target('floor', invokeEcho, [64], child));
    }
    if (ctx.wants('embedded')) {
      const child = await started(
        startRuntime({
          traceDir: path.join(ctx.scratchDir, 'embedded'),
          workers: config.runtimeWorkers,
          nodeFlags: ctx.nodeFlagsFor('embedded'),
        }),
      );
      embedded = add(target('embedded', createRunAndWait, CONCURRENCIES, child));
    }
    if (ctx.wants('http-registry')) {
      const registry = await started(startRegistry({ nodeFlags: ctx.nodeFlagsFor('registry') }));
      const child = await started(
        startRuntime({
          traceDir: path.join(ctx.scratchDir, 'http-registry'),
          registryUrl: urlOf(registry),
          workers: config.runtimeWorkers,
          nodeFlags: ctx.nodeFlagsFor('http-registry'),
        }),
      );
      overHttp = add(target('http-registry', createRunAndWait, CONCURRENCIES, child, registry));
    }

    ctx.progress('http: warm-up');
    const warmup = (c: Concurrency): number =>
      Math.min(config.warmupRequests, config.serverRequests[c]);
    if (ceiling) await measure(ceiling, 64, config.warmupRequests);
    if (floor) await measure(floor, 64, config.warmupRequests);
    for (const c of CONCURRENCIES) {
      if (embedded) await measure(embedded, c, warmup(c));
      if (overHttp) await measure(overHttp, c, warmup(c));
    }

    const figures: HttpFigures = {};
    if (ceiling) figures.ceiling = [];
    if (floor) figures.floor = [];
    if (embedded) figures.embedded = { 1: [], 16: [], 64: [] };
    if (overHttp) figures.httpRegistry = { 1: [], 16: [], 64: [] };
    for (let round = 1; round <= config.rounds; round++) {
      ctx.progress(`http: round ${round}/${config.rounds}`);
      if (ceiling) figures.ceiling?.push(await measure(ceiling, 64, config.ceilingRequests));
      if (floor) figures.floor?.push(await measure(floor, 64, config.serverRequests[64]));
      for (const [t, results] of [
        [embedded, figures.embedded],
        [overHttp, figures.httpRegistry],
      ] as const) {
        if (!t || !results) continue;
        for (const c of CONCURRENCIES) {
          results[c].push(await measure(t, c, config.serverRequests[c]));
        }
      }
    }
    return figures;
  } finally {
    for (const t of targets) for (const pool of t.pools.values()) await pool.close();
    await Promise.all(children.map((c) => c.stop()));
  }
}
