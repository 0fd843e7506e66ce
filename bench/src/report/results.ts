// Turns raw samples into the results document (results/latest.json) and checks the targets.
import os from 'node:os';
import { CONCURRENCIES, type BenchConfig } from '../config.js';
import type { EngineFigures, EngineSample } from '../figures/engine.js';
import type { HttpFigures, MeasuredLoad } from '../figures/http.js';
import type { MemoryCycle } from '../figures/memory.js';
import type { StreamingSample } from '../figures/streaming.js';
import { round, spread, type Spread } from '../stats.js';

export interface RawResults {
  engine?: EngineFigures;
  http?: HttpFigures;
  streaming?: StreamingSample[];
  memory?: MemoryCycle[];
}

export interface LoadFigure {
  concurrency: number;
  requestsPerSample: number;
  throughput: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  /** CPU time of the server process(es) per request, in µs (all threads). */
  serverCpuUsPerRequest: Spread;
  errors: number;
}

export interface TargetCheck {
  id: string;
  description: string;
  /** e.g. ">= 50000 runs/s". */
  goal: string;
  value: number;
  unit: string;
  pass: boolean;
}

export interface ResultsDocument {
  schema: 'arp-ts-bench/1';
  mode: BenchConfig['mode'];
  date: string;
  durationSeconds: number;
  machine: {
    cpuModel: string;
    cpuCount: number;
    totalMemoryBytes: number;
    os: string;
    node: string;
    loadAverageAtStart: number[];
  };
  /** Where the file stores of figures 3 to 6 wrote (os.tmpdir(); TMPDIR moves it). */
  traceDir: { root: string; filesystem: string };
  /** Worker processes of the runtime in figures 3 and 4 (1: one process). */
  runtimeWorkers: number;
  figures: {
    engine?: {
      runs: number;
      noopTrace: {
        runsPerSecond: Spread;
        microsPerRun: Spread;
        allocatedBytesPerRun: Spread;
      };
      noSinks: { runsPerSecond: Spread; microsPerRun: Spread; allocatedBytesPerRun: Spread };
    };
    ceiling?: LoadFigure;
    /** Reference: the registry's echo, a service-kit service answering at once (not a target). */
    floor?: LoadFigure;
    embedded?: LoadFigure[];
    httpRegistry?: LoadFigure[];
    streaming?: {
      runsPerSample: number;
      postMs: Spread;
      firstEventAfterAnswerMs: Spread;
      terminalEventAfterAnswerMs: Spread;
      eventsPerRun: number;
    };
    memory?: {
      inFlightRuns: number;
      idleHeapBytes: Spread;
      inFlightHeapBytes: Spread;
      afterHeapBytes: Spread;
      idleRssBytes: Spread;
      inFlightRssBytes: Spread;
      afterRssBytes: Spread;
      heapPerInFlightRunBytes: Spread;
      heapPerFinishedRunBytes: Spread;
      afterToIdle: Spread;
    };
  };
  /** Paired per round: figure throughput / ceiling throughput of the same round. */
  ratios: {
    floorToCeiling?: Spread;
    embeddedC64ToCeiling?: Spread;
    httpRegistryC64ToCeiling?: Spread;
  };
  targets: TargetCheck[];
}

function rounded(values: number[], digits = 3): Spread {
  const s = spread(values);
  return {
    median: round(s.median, digits),
    min: round(s.min, digits),
    max: round(s.max, digits),
    samples: s.samples.map((v) => round(v, digits)),
  };
}

function loadFigure(results: MeasuredLoad[], requestsPerSample: number): LoadFigure {
  const first = results[0];
  return {
    concurrency: first?.concurrency ?? 0,
    requestsPerSample,
    throughput: rounded(results.map((r) => r.throughput)),
    p50Ms: rounded(results.map((r) => r.p50Ms)),
    p99Ms: rounded(results.map((r) => r.p99Ms)),
    serverCpuUsPerRequest: rounded(results.map((r) => r.serverCpuUsPerRequest)),
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
}

function pairedRatios(figure: MeasuredLoad[], ceiling: MeasuredLoad[]): Spread {
  return rounded(
    figure.map((r, i) => r.throughput / (ceiling[i]?.throughput ?? NaN)),
    4,
  );
}

export function machineInfo(loadAverageAtStart: number[]): ResultsDocument['machine'] {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    totalMemoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: loadAverageAtStart.map((v) => round(v, 2)),
  };
}

const KIB = 1024;

export function buildResults(
  config: BenchConfig,
  raw: RawResults,
  meta: {
    date: Date;
    durationSeconds: number;
    machine: ResultsDocument['machine'];
    traceDir: ResultsDocument['traceDir'];
  },
): ResultsDocument {
  const doc: ResultsDocument = {
    schema: 'arp-ts-bench/1',
    mode: config.mode,
    date: meta.date.toISOString(),
    durationSeconds: round(meta.durationSeconds, 1),
    machine: meta.machine,
    traceDir: meta.traceDir,
    runtimeWorkers: config.runtimeWorkers,
    figures: {},
    ratios: {},
    targets: [],
  };
  const targets = doc.targets;

  if (raw.engine) {
    const pick = (samples: EngineSample[]) => ({
      runsPerSecond: rounded(samples.map((s) => s.runsPerSecond)),
      microsPerRun: rounded(samples.map((s) => s.microsPerRun)),
      allocatedBytesPerRun: rounded(samples.map((s) => s.allocatedBytesPerRun)),
    });
    const noopTrace = pick(raw.engine.noopTrace);
    doc.figures.engine = {
      runs: config.engine.runs,
      noopTrace,
      noSinks: pick(raw.engine.noSinks),
    };
    targets.push({
      id: 'engine.runs_per_second',
      description: 'Engine: stub runs per second (no-op trace sink)',
      goal: '>= 50000 runs/s',
      value: noopTrace.runsPerSecond.median,
      unit: 'runs/s',
      pass: noopTrace.runsPerSecond.median >= 50_000,
    });
  }

  if (raw.http) {
    const { ceiling, floor, embedded, httpRegistry } = raw.http;
    if (ceiling) doc.figures.ceiling = loadFigure(ceiling, config.ceilingRequests);
    if (floor) {
      doc.figures.floor = loadFigure(floor, config.serverRequests[64]);
      if (ceiling) doc.ratios.floorToCeiling = pairedRatios(floor, ceiling);
    }
    const ceilingClean = doc.figures.ceiling?.errors === 0;
    if (embedded) {
      doc.figures.embedded = CONCURRENCIES.map((c) =>
        loadFigure(embedded[c], config.serverRequests[c]),
      );
      const at64 = doc.figures.embedded[2];
      if (ceiling) {
        const ratio = pairedRatios(embedded[64], ceiling);
        doc.ratios.embeddedC64ToCeiling = ratio;
        targets.push({
          id: 'server.embedded.c64.ratio',
          description: 'Server, embedded registry, c64: completed runs/s vs the ceiling',
          goal: '>= 30% of ceiling',
          value: ratio.median,
          unit: 'ratio',
          pass: ceilingClean && at64?.errors === 0 && ratio.median >= 0.3,
        });
      }
      targets.push({
        id: 'server.embedded.c64.p99',
        description: 'Server, embedded registry, c64: p99 latency',
        goal: '< 25 ms',
        value: at64?.p99Ms.median ?? NaN,
        unit: 'ms',
        pass: at64 !== undefined && at64.p99Ms.median < 25,
      });
    }
    if (httpRegistry) {
      doc.figures.httpRegistry = CONCURRENCIES.map((c) =>
        loadFigure(httpRegistry[c], config.serverRequests[c]),
      );
      const at64 = doc.figures.httpRegistry[2];
      if (ceiling) {
        const ratio = pairedRatios(httpRegistry[64], ceiling);
        doc.ratios.httpRegistryC64ToCeiling = ratio;
        targets.push({
          id: 'server.http_registry.c64.ratio',
          description: 'Server, HTTP registry, c64: completed runs/s vs the ceiling',
          goal: '>= 15% of ceiling',
          value: ratio.median,
          unit: 'ratio',
          pass: ceilingClean && at64?.errors === 0 && ratio.median >= 0.15,
        });
      }
    }
  }

  if (raw.streaming) {
    const samples = raw.streaming;
    const first = rounded(samples.map((s) => s.firstEventMs));
    doc.figures.streaming = {
      runsPerSample: config.streaming.runsPerSample,
      postMs: rounded(samples.map((s) => s.postMs)),
      firstEventAfterAnswerMs: first,
      terminalEventAfterAnswerMs: rounded(samples.map((s) => s.terminalEventMs)),
      eventsPerRun: samples[0]?.eventsPerRun ?? 0,
    };
    targets.push({
      id: 'streaming.first_event',
      description: "Streaming: first RunEvent after the POST's answer (median)",
      goal: '<= 5 ms',
      value: first.median,
      unit: 'ms',
      pass: first.median <= 5,
    });
  }

  if (raw.memory) {
    const cycles = raw.memory;
    const perRun = rounded(
      cycles.map((c) => c.heapPerInFlightRunBytes),
      0,
    );
    const afterToIdle = rounded(
      cycles.map((c) => c.afterToIdle),
      4,
    );
    doc.figures.memory = {
      inFlightRuns: config.memory.inFlightRuns,
      idleHeapBytes: rounded(cycles.map((c) => c.idle.heapUsed)),
      inFlightHeapBytes: rounded(cycles.map((c) => c.inFlight.heapUsed)),
      afterHeapBytes: rounded(cycles.map((c) => c.after.heapUsed)),
      idleRssBytes: rounded(cycles.map((c) => c.idle.rss)),
      inFlightRssBytes: rounded(cycles.map((c) => c.inFlight.rss)),
      afterRssBytes: rounded(cycles.map((c) => c.after.rss)),
      heapPerInFlightRunBytes: perRun,
      heapPerFinishedRunBytes: rounded(
        cycles.map((c) => c.heapPerFinishedRunBytes),
        0,
      ),
      afterToIdle,
    };
    targets.push({
      id: 'memory.heap_per_in_flight_run',
      description: 'Memory: heap per in-flight run',
      goal: '< 20 KiB',
      value: round(perRun.median / KIB, 2),
      unit: 'KiB',
      pass: perRun.median < 20 * KIB,
    });
    targets.push({
      id: 'memory.heap_after_runs',
      description: 'Memory: heap after the runs ended vs idle heap',
      goal: '<= 110% of idle',
      value: afterToIdle.max,
      unit: 'ratio',
      pass: afterToIdle.max <= 1.1,
    });
  }
  return doc;
}
