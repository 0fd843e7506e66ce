// The results as Markdown tables: readable in a terminal and pasted as is into bench/README.md.
import type { Spread } from '../stats.js';
import type { LoadFigure, ResultsDocument } from './results.js';

export const int = (v: number): string =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a';
export const dec = (v: number, digits = 2): string =>
  Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
export const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');
const kib = (v: number): string => (Number.isFinite(v) ? `${(v / 1024).toFixed(1)} KiB` : 'n/a');
const mib = (v: number): string =>
  Number.isFinite(v) ? `${(v / 1024 / 1024).toFixed(1)} MiB` : 'n/a';

const range = (s: Spread, format: (v: number) => string): string =>
  `${format(s.min)} – ${format(s.max)}`;

export function markdown(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: string[]): string =>
    `| ${cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

function engineTable(doc: ResultsDocument): string | undefined {
  const e = doc.figures.engine;
  if (!e) return undefined;
  const row = (name: string, s: typeof e.noopTrace): string[] => [
    name,
    int(s.runsPerSecond.median),
    range(s.runsPerSecond, int),
    dec(s.microsPerRun.median),
    kib(s.allocatedBytesPerRun.median),
  ];
  return markdown(
    [
      '1 Engine (20,000 runs a sample)',
      'runs/s',
      'min – max',
      'µs per run',
      'heap allocated per run',
    ],
    [row('no-op trace sink', e.noopTrace), row('no sinks', e.noSinks)],
  );
}

function httpTable(doc: ResultsDocument): string | undefined {
  const f = doc.figures;
  const rows: string[][] = [];
  const add = (name: string, figure: LoadFigure, ratio?: Spread): void => {
    const errors = figure.errors > 0 ? ` (${figure.errors} errors)` : '';
    rows.push([
      name,
      `c${figure.concurrency}`,
      int(figure.throughput.median) + errors,
      range(figure.throughput, int),
      dec(figure.p50Ms.median),
      dec(figure.p99Ms.median),
      int(figure.serverCpuUsPerRequest.median),
      ratio ? `${pct(ratio.median)} (${range(ratio, pct)})` : '',
    ]);
  };
  if (f.ceiling) add('2 Ceiling: bare node:http', f.ceiling);
  if (f.floor) add('2b Floor: registry echo', f.floor, doc.ratios.floorToCeiling);
  const processes = doc.runtimeWorkers > 1 ? ` (${doc.runtimeWorkers} workers)` : '';
  for (const figure of f.embedded ?? []) {
    const ratio = figure.concurrency === 64 ? doc.ratios.embeddedC64ToCeiling : undefined;
    add(`3 Server, embedded registry${processes}`, figure, ratio);
  }
  for (const figure of f.httpRegistry ?? []) {
    const ratio = figure.concurrency === 64 ? doc.ratios.httpRegistryC64ToCeiling : undefined;
    add(`4 Server, HTTP registry${processes}`, figure, ratio);
  }
  if (rows.length === 0) return undefined;
  return markdown(
    [
      'HTTP figures',
      'conc.',
      'req/s',
      'min – max',
      'p50 ms',
      'p99 ms',
      'server CPU µs/req',
      'of ceiling',
    ],
    rows,
  );
}

function streamingTable(doc: ResultsDocument): string | undefined {
  const s = doc.figures.streaming;
  if (!s) return undefined;
  return markdown(
    ['5 Streaming (medians of samples)', 'ms', 'min – max'],
    [
      ['POST /v1/runs answered', dec(s.postMs.median), range(s.postMs, dec)],
      [
        'first RunEvent, after the answer',
        dec(s.firstEventAfterAnswerMs.median),
        range(s.firstEventAfterAnswerMs, dec),
      ],
      [
        'terminal RunEvent, after the answer',
        dec(s.terminalEventAfterAnswerMs.median),
        range(s.terminalEventAfterAnswerMs, dec),
      ],
    ],
  );
}

function memoryTable(doc: ResultsDocument): string | undefined {
  const m = doc.figures.memory;
  if (!m) return undefined;
  const n = int(m.inFlightRuns);
  return markdown(
    ['6 Memory (server process, after GC)', 'median', 'min – max'],
    [
      ['heap, idle', mib(m.idleHeapBytes.median), range(m.idleHeapBytes, mib)],
      [
        `heap, ${n} runs in flight`,
        mib(m.inFlightHeapBytes.median),
        range(m.inFlightHeapBytes, mib),
      ],
      ['heap, after they finished', mib(m.afterHeapBytes.median), range(m.afterHeapBytes, mib)],
      ['RSS, idle', mib(m.idleRssBytes.median), range(m.idleRssBytes, mib)],
      [`RSS, ${n} runs in flight`, mib(m.inFlightRssBytes.median), range(m.inFlightRssBytes, mib)],
      ['RSS, after they finished', mib(m.afterRssBytes.median), range(m.afterRssBytes, mib)],
      [
        'heap per in-flight run',
        kib(m.heapPerInFlightRunBytes.median),
        range(m.heapPerInFlightRunBytes, kib),
      ],
      [
        'heap left per finished run',
        `${int(m.heapPerFinishedRunBytes.median)} B`,
        range(m.heapPerFinishedRunBytes, (v) => `${int(v)} B`),
      ],
      ['heap after / idle', pct(m.afterToIdle.median), range(m.afterToIdle, pct)],
    ],
  );
}

export function renderFigures(doc: ResultsDocument): string {
  return [engineTable(doc), httpTable(doc), streamingTable(doc), memoryTable(doc)]
    .filter((t): t is string => t !== undefined)
    .join('\n\n');
}

function targetValue(unit: string, value: number): string {
  if (unit === 'ratio') return pct(value);
  if (unit === 'runs/s') return `${int(value)} runs/s`;
  return `${dec(value)} ${unit}`;
}

export function renderTargets(doc: ResultsDocument): string {
  return markdown(
    ['Target', 'Goal', 'Measured (median)', 'Result'],
    doc.targets.map((t) => [
      t.description,
      t.goal,
      targetValue(t.unit, t.value),
      t.pass ? 'PASS' : 'MISS',
    ]),
  );
}

export function renderHeader(doc: ResultsDocument): string {
  const m = doc.machine;
  return [
    `ARP runtime bench (${doc.mode}), ${doc.date}, ${doc.durationSeconds} s`,
    `${m.cpuCount} x ${m.cpuModel}, ${mib(m.totalMemoryBytes)} RAM, ${m.os}, Node ${m.node}, load average at start ${m.loadAverageAtStart.join(' / ')}`,
    `File stores in ${doc.traceDir.root} (${doc.traceDir.filesystem}); runtime of figures 3 and 4: ${doc.runtimeWorkers > 1 ? `a cluster of ${doc.runtimeWorkers} worker processes` : 'one process'}`,
  ].join('\n');
}
