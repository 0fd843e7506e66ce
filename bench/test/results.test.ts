import { describe, expect, it } from 'vitest';
import { parseArgs, type BenchConfig } from '../src/config.js';
import type { EngineSample } from '../src/figures/engine.js';
import type { MeasuredLoad } from '../src/figures/http.js';
import type { MemoryCycle } from '../src/figures/memory.js';
import { buildResults, machineInfo, type RawResults } from '../src/report/results.js';
import { renderFigures, renderTargets } from '../src/report/table.js';

const config = parseArgs(['--quick']) as BenchConfig;
const meta = {
  date: new Date('2026-01-01T00:00:00Z'),
  durationSeconds: 1,
  machine: machineInfo([0, 0, 0]),
  traceDir: { root: '/tmp', filesystem: 'tmpfs' },
};

function load(throughput: number, p99Ms = 10, errors = 0): MeasuredLoad {
  return {
    concurrency: 64,
    completed: 1000,
    errors,
    errorSamples: [],
    durationMs: 1000,
    throughput,
    p50Ms: p99Ms / 2,
    p90Ms: p99Ms,
    p99Ms,
    maxMs: p99Ms,
    serverCpuUsPerRequest: 100,
  };
}

function engine(runsPerSecond: number): EngineSample {
  return {
    setup: 'noop-trace',
    runs: 20_000,
    durationMs: 1,
    runsPerSecond,
    microsPerRun: 1e6 / runsPerSecond,
    allocatedBytesPerRun: 1,
    gcCount: 0,
  };
}

const snapshot = (heapUsed: number) => ({
  heapUsed,
  heapTotal: heapUsed,
  rss: heapUsed,
  external: 0,
  arrayBuffers: 0,
});

function cycle(idle: number, inFlight: number, after: number): MemoryCycle {
  return {
    inFlightRuns: 1000,
    idle: snapshot(idle),
    inFlight: snapshot(inFlight),
    after: snapshot(after),
    heapPerInFlightRunBytes: (inFlight - idle) / 1000,
    heapPerFinishedRunBytes: (after - idle) / 1000,
    afterToIdle: after / idle,
  };
}

const pass = (raw: RawResults): Record<string, boolean> =>
  Object.fromEntries(buildResults(config, raw, meta).targets.map((t) => [t.id, t.pass]));

describe('buildResults', () => {
  it('checks the engine target on the median sample', () => {
    const raw = (rates: number[]): RawResults => ({
      engine: { noopTrace: rates.map(engine), noSinks: rates.map(engine) },
    });
    expect(pass(raw([40_000, 60_000, 55_000]))['engine.runs_per_second']).toBe(true);
    expect(pass(raw([40_000, 49_000, 90_000]))['engine.runs_per_second']).toBe(false);
  });

  it('pairs each server sample with the ceiling of the same round', () => {
    const samples = (...values: number[]) => ({
      1: values.map((v) => load(v)),
      16: values.map((v) => load(v)),
      64: values.map((v) => load(v)),
    });
    const doc = buildResults(
      config,
      {
        http: {
          ceiling: [load(10_000), load(5_000)],
          embedded: samples(3_000, 1_500),
          httpRegistry: samples(1_000, 1_000),
        },
      },
      meta,
    );
    // 3000/10000 and 1500/5000: 30% in both rounds, although the medians alone give 30% too.
    expect(doc.ratios.embeddedC64ToCeiling?.samples).toEqual([0.3, 0.3]);
    expect(doc.ratios.httpRegistryC64ToCeiling?.samples).toEqual([0.1, 0.2]);
    const targets = Object.fromEntries(doc.targets.map((t) => [t.id, t.pass]));
    expect(targets['server.embedded.c64.ratio']).toBe(true);
    expect(targets['server.embedded.c64.p99']).toBe(true);
    expect(targets['server.http_registry.c64.ratio']).toBe(true);
  });

  it('fails a throughput target whose samples had errors', () => {
    const samples = { 1: [load(3_000)], 16: [load(3_000)], 64: [load(3_000, 10, 1)] };
    const targets = pass({ http: { ceiling: [load(5_000)], embedded: samples } });
    expect(targets['server.embedded.c64.ratio']).toBe(false);
  });

  it('checks memory per in-flight run and the worst return to idle', () => {
    const kib = 1024;
    const ok = pass({ memory: [cycle(10_000 * kib, 25_000 * kib, 10_500 * kib)] });
    expect(ok['memory.heap_per_in_flight_run']).toBe(true);
    expect(ok['memory.heap_after_runs']).toBe(true);
    const grew = pass({
      memory: [
        cycle(10_000 * kib, 25_000 * kib, 10_500 * kib),
        cycle(10_000 * kib, 30_000 * kib, 11_500 * kib),
      ],
    });
    expect(grew['memory.heap_per_in_flight_run']).toBe(true); // median of 15 and 20 KiB
    expect(grew['memory.heap_after_runs']).toBe(false); // 115% in the second cycle
  });

  it('renders every figure and target as Markdown tables', () => {
    const doc = buildResults(
      config,
      {
        engine: { noopTrace: [engine(60_000)], noSinks: [engine(90_000)] },
        memory: [cycle(1, 2, 1)],
      },
      meta,
    );
    expect(renderFigures(doc)).toMatch(/^\| 1 Engine \(20,000 runs a sample\) +\| runs\/s/);
    expect(renderFigures(doc)).toContain('| no-op trace sink ');
    expect(renderFigures(doc)).toContain('| heap per in-flight run ');
    expect(renderTargets(doc)).toMatch(/\| PASS +\|/);
  });
});
