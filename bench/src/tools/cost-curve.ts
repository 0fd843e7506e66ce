// What a server that spends a given CPU time on each request can reach on this machine with the
// bench's load generator: throughput as a share of the ceiling (figure 2), p50 and p99. The
// server is the ceiling's own fixture plus a busy loop, so nothing but that cost separates it
// from the ceiling. It tells whether a target is out of reach of ANY server of a given cost
// here, such as figure 3's "30% of the ceiling with p99 under 25 ms".
//   node dist/tools/cost-curve.js [--cost=0,100,200,300] [--workers=1,auto] [--requests=20000]
import { UsageError } from '../config.js';
import { measure, target, type MeasuredLoad } from '../figures/http.js';
import { createRunAndWait } from '../figures/requests.js';
import { startChild } from '../procs/child.js';
import { dec, int, markdown, pct } from '../report/table.js';
import { COST_CURVE_USAGE, parseCostCurveArgs, type CostCurveConfig } from './cost-curve-args.js';

const MAX_WARMUP = 2_000;

/** Measures the ceiling's fixture spending `costUs` per request in `workers` processes. */
async function measurePoint(
  config: CostCurveConfig,
  label: string,
  costUs: number,
  workers: number,
): Promise<MeasuredLoad> {
  const env = { BENCH_CEILING_BUSY_US: String(costUs), BENCH_CEILING_WORKERS: String(workers) };
  const child = await startChild({ fixture: 'ceiling-server.js', env });
  const t = target(label, createRunAndWait, [config.concurrency], child);
  try {
    const warmup = Math.min(MAX_WARMUP, Math.ceil(config.requests / 5));
    await measure(t, config.concurrency, warmup);
    return await measure(t, config.concurrency, config.requests);
  } finally {
    await Promise.all([...t.pools.values()].map((pool) => pool.close()));
    await child.stop();
  }
}

async function main(): Promise<number> {
  let parsed: CostCurveConfig | 'help';
  try {
    parsed = parseCostCurveArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${COST_CURVE_USAGE}\n`);
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(`${COST_CURVE_USAGE}\n`);
    return 0;
  }
  const config = parsed;
  const started = Date.now();
  const progress = (message: string): void => {
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`);
  };

  progress('ceiling');
  const before = await measurePoint(config, 'ceiling', 0, 1);
  const rows: { workers: number; costUs: number; load: MeasuredLoad }[] = [];
  for (const workers of config.workers) {
    for (const costUs of config.costsUs) {
      progress(`${workers} process${workers > 1 ? 'es' : ''}, ${costUs} µs per request`);
      rows.push({
        workers,
        costUs,
        load: await measurePoint(config, 'reference', costUs, workers),
      });
    }
  }
  progress('ceiling again');
  const after = await measurePoint(config, 'ceiling', 0, 1);
  // The machine drifts: each share is of the mean of the ceilings measured before and after.
  const ceiling = (before.throughput + after.throughput) / 2;

  process.stdout.write(
    `Ceiling at c${config.concurrency}: ${int(before.throughput)} req/s before, ` +
      `${int(after.throughput)} after (p99 ${dec(before.p99Ms, 1)} / ${dec(after.p99Ms, 1)} ms); ` +
      `${int(config.requests)} requests per point.\n\n`,
  );
  process.stdout.write(
    markdown(
      [
        'processes',
        'busy µs per request',
        'server CPU µs per request',
        'req/s',
        'of ceiling',
        'p50 ms',
        'p99 ms',
        'errors',
      ],
      rows.map(({ workers, costUs, load }) => [
        String(workers),
        int(costUs),
        int(load.serverCpuUsPerRequest),
        int(load.throughput),
        pct(load.throughput / ceiling),
        dec(load.p50Ms, 1),
        dec(load.p99Ms, 1),
        int(load.errors),
      ]),
    ) + '\n',
  );
  return rows.some((r) => r.load.errors > 0) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`cost-curve: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
