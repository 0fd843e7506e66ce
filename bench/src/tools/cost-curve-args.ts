// The arguments of tools/cost-curve.
import os from 'node:os';
import { UsageError, workersFlag } from '../config.js';

export interface CostCurveConfig {
  /** CPU time (µs) the reference server spends per request, one curve point each. */
  costsUs: number[];
  /** Process counts of the reference server (1: one process; more: node:cluster). */
  workers: number[];
  /** Requests measured per point (a fifth of it, at most 2,000, warms up first). */
  requests: number;
  concurrency: number;
}

export const COST_CURVE_USAGE = `Usage: node dist/tools/cost-curve.js [--cost=0,100,200,300] [--workers=1,auto] [--requests=20000] [--concurrency=64]
  --cost         CPU time in µs the reference server spends on each request (0 to 100000)
  --workers      its process counts: 1 is one process, N or auto (one per core) a cluster
  --requests     requests measured per point (100 to 10000000)
  --concurrency  connections of the load generator (1 to 1024; the issue's figures use 64)`;

function integer(flag: string, text: string, min: number, max: number): number {
  const n = /^\d{1,8}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`${flag}: '${text}' is not a whole number from ${min} to ${max}`);
  }
  return n;
}

function list(flag: string, text: string, item: (part: string) => number): number[] {
  const parts = text.split(',');
  if (parts.some((p) => p === '')) throw new UsageError(`${flag}: empty item in '${text}'`);
  return [...new Set(parts.map(item))];
}

export function parseCostCurveArgs(argv: readonly string[]): CostCurveConfig | 'help' {
  const config: CostCurveConfig = {
    costsUs: [0, 100, 200, 300],
    workers: [1, os.availableParallelism()],
    requests: 20_000,
    concurrency: 64,
  };
  for (const arg of argv) {
    if (arg === '--') continue;
    if (arg === '--help' || arg === '-h') return 'help';
    const eq = arg.indexOf('=');
    const [flag, value] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (value === undefined) throw new UsageError(`unknown argument '${arg}'`);
    if (flag === '--cost') config.costsUs = list(flag, value, (p) => integer(flag, p, 0, 100_000));
    else if (flag === '--workers') config.workers = list(flag, value, workersFlag);
    else if (flag === '--requests') config.requests = integer(flag, value, 100, 10_000_000);
    else if (flag === '--concurrency') config.concurrency = integer(flag, value, 1, 1024);
    else throw new UsageError(`unknown argument '${arg}'`);
  }
  return config;
}
