// How much work each figure does: the full run the issue asks for, and --quick for CI (every
// figure exercised with smaller counts, well under two minutes on a 2-core machine).

import os from 'node:os';

export interface BenchConfig {
  mode: 'full' | 'quick';
  /** Times each HTTP figure is measured (rounds); every round measures every figure once. */
  rounds: number;
  engine: { warmupRuns: number; runs: number; samples: number };
  /** Requests of the warm-up before the first round, per target and concurrency. */
  warmupRequests: number;
  ceilingRequests: number;
  /** Requests per sample at each concurrency (1, 16, 64). */
  serverRequests: Record<1 | 16 | 64, number>;
  streaming: { warmup: number; runsPerSample: number; samples: number };
  memory: { inFlightRuns: number; cycles: number; warmupRuns: number };
  /** Figures to profile with --cpu-prof (child processes), by name. */
  profile: ReadonlySet<string>;
  /** Figures to run; all when empty. */
  only: ReadonlySet<string>;
  /** Worker processes of the runtime in figures 3 and 4 (1: one process; more: a cluster). */
  runtimeWorkers: number;
}

export const CONCURRENCIES = [1, 16, 64] as const;
export const FIGURES = [
  'engine',
  'ceiling',
  'floor',
  'embedded',
  'http-registry',
  'streaming',
  'memory',
] as const;
export const PROFILABLE = [
  'engine',
  'ceiling',
  'floor',
  'embedded',
  'registry',
  'http-registry',
  'memory',
];

const FULL: Omit<BenchConfig, 'profile' | 'only' | 'runtimeWorkers'> = {
  mode: 'full',
  rounds: 5,
  engine: { warmupRuns: 20_000, runs: 20_000, samples: 5 },
  warmupRequests: 1_000,
  ceilingRequests: 20_000,
  serverRequests: { 1: 500, 16: 2_000, 64: 5_000 },
  streaming: { warmup: 50, runsPerSample: 200, samples: 5 },
  memory: { inFlightRuns: 1_000, cycles: 3, warmupRuns: 200 },
};

const QUICK: Omit<BenchConfig, 'profile' | 'only' | 'runtimeWorkers'> = {
  mode: 'quick',
  rounds: 2,
  engine: { warmupRuns: 10_000, runs: 20_000, samples: 2 },
  warmupRequests: 150,
  ceilingRequests: 2_000,
  serverRequests: { 1: 100, 16: 500, 64: 1_000 },
  streaming: { warmup: 10, runsPerSample: 30, samples: 2 },
  memory: { inFlightRuns: 1_000, cycles: 1, warmupRuns: 50 },
};

export class UsageError extends Error {}

function listFlag(value: string, known: readonly string[], flag: string): Set<string> {
  const names = value.split(',').filter((s) => s.length > 0);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(`${flag}: unknown name '${name}' (known: ${known.join(', ')})`);
    }
  }
  return new Set(names);
}

export const USAGE = `Usage: pnpm bench [--quick] [--workers=N|auto] [--only=${FIGURES.join(',')}] [--profile=${PROFILABLE.join(',')}]
  --quick     every figure with small counts (CI); writes results/quick.json
  --workers   runtime processes of figures 3 and 4 (default auto: one per core, a runtime
              cluster; 1: a single process)
  --only      run some figures only; writes results/partial.json
  --profile   run those child processes with --cpu-prof (profiles in results/profiles/<name>-<time>/)`;

/** `auto` (one per core) or 1 to 64: a count of runtime processes. */
export function workersFlag(value: string): number {
  if (value === 'auto') return os.availableParallelism();
  const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 64)) throw new UsageError(`--workers: '${value}' is not 1 to 64 or auto`);
  return n;
}

export function parseArgs(argv: readonly string[]): BenchConfig | 'help' {
  let quick = false;
  let profile = new Set<string>();
  let only = new Set<string>();
  let runtimeWorkers = os.availableParallelism();
  for (const arg of argv) {
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--profile='))
      profile = listFlag(arg.slice(10), PROFILABLE, '--profile');
    else if (arg.startsWith('--only=')) only = listFlag(arg.slice(7), FIGURES, '--only');
    else if (arg.startsWith('--workers=')) runtimeWorkers = workersFlag(arg.slice(10));
    else throw new UsageError(`unknown argument '${arg}'`);
  }
  return { ...(quick ? QUICK : FULL), profile, only, runtimeWorkers };
}
