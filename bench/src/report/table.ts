// The results as Markdown tables: readable in a terminal and pasted as is into bench/README.md.
import type { Spread } from '../stats.js';
import type { LoadFigure, ResultsDocument } from './results.js';

type Row = [string, string, string, string];

const int = (v: number): string =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a';
const dec = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a');
const kib = (v: number): string => (Number.isFinite(v) ? `${(v / 1024).toFixed(1)} KiB` : 'n/a');
const mib = (v: number): string =>
  Number.isFinite(v) ? `${(v / 1024 / 1024).toFixed(1)} MiB` : 'n/a';

function cells(s: Spread, format: (v: number) => string): [string, string] {
  return [format(s.median), `${format(s.min)} – ${format(s.max)}`];
}

function markdown(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: string[]): string =>
    `| ${cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

function loadRows(name: string, figure: LoadFigure): Row[] {
  const c = `c${figure.concurrency}`;
  const errors = figure.errors > 0 ? ` (${figure.errors} errors)` : '';
  return [
    [`${name}, ${c}`, `runs/s${errors}`, ...cells(figure.throughput, int)],
    [
      `${name}, ${c}`,
      'p50 / p99 ms',
      `${dec(figure.p50Ms.median)} / ${dec(figure.p99Ms.median)}`,
      `p99 ${dec(figure.p99Ms.min)} – ${dec(figure.p99Ms.max)}`,
    ],
  ];
}

export function renderFigures(doc: ResultsDocument): string {
  const rows: Row[] = [];
  const f = doc.figures;
  if (f.engine) {
    const e = f.engine;
    rows.push(['1 Engine, no-op trace sink', 'runs/s', ...cells(e.noopTrace.runsPerSecond, int)]);
    rows.push([
      '1 Engine, no-op trace sink',
      'µs per run',
      ...cells(e.noopTrace.microsPerRun, dec),
    ]);
    rows.push([
      '1 Engine, no-op trace sink',
      'heap allocated per run',
      ...cells(e.noopTrace.allocatedBytesPerRun, kib),
    ]);
    rows.push(['1 Engine, no sinks', 'runs/s', ...cells(e.noSinks.runsPerSecond, int)]);
    rows.push([
      '1 Engine, no sinks',
      'heap allocated per run',
      ...cells(e.noSinks.allocatedBytesPerRun, kib),
    ]);
  }
  if (f.ceiling) {
    rows.push(
      ...loadRows('2 Ceiling (bare node:http)', f.ceiling).map((r) => {
        r[1] = r[1].replace('runs/s', 'requests/s');
        return r;
      }),
    );
  }
  if (f.floor) {
    rows.push(
      ...loadRows('2b Floor: express + service-kit (registry echo)', f.floor).map((r) => {
        r[1] = r[1].replace('runs/s', 'requests/s');
        return r;
      }),
    );
  }
  if (doc.ratios.floorToCeiling) {
    rows.push(['2b Floor, c64', 'of ceiling', ...cells(doc.ratios.floorToCeiling, pct)]);
  }
  for (const figure of f.embedded ?? [])
    rows.push(...loadRows('3 Server, embedded registry', figure));
  for (const figure of f.httpRegistry ?? [])
    rows.push(...loadRows('4 Server, HTTP registry', figure));
  if (doc.ratios.embeddedC64ToCeiling) {
    rows.push([
      '3 Server, embedded registry, c64',
      'of ceiling',
      ...cells(doc.ratios.embeddedC64ToCeiling, pct),
    ]);
  }
  if (doc.ratios.httpRegistryC64ToCeiling) {
    rows.push([
      '4 Server, HTTP registry, c64',
      'of ceiling',
      ...cells(doc.ratios.httpRegistryC64ToCeiling, pct),
    ]);
  }
  if (f.streaming) {
    const s = f.streaming;
    rows.push(['5 Streaming', 'POST answered, ms', ...cells(s.postMs, dec)]);
    rows.push([
      '5 Streaming',
      'first event after answer, ms',
      ...cells(s.firstEventAfterAnswerMs, dec),
    ]);
    rows.push([
      '5 Streaming',
      'terminal event after answer, ms',
      ...cells(s.terminalEventAfterAnswerMs, dec),
    ]);
  }
  if (f.memory) {
    const m = f.memory;
    const n = int(m.inFlightRuns);
    rows.push(['6 Memory', 'heap idle', ...cells(m.idleHeapBytes, mib)]);
    rows.push(['6 Memory', `heap, ${n} runs in flight`, ...cells(m.inFlightHeapBytes, mib)]);
    rows.push(['6 Memory', 'heap after, GC', ...cells(m.afterHeapBytes, mib)]);
    rows.push([
      '6 Memory',
      `RSS idle / ${n} in flight / after`,
      `${mib(m.idleRssBytes.median)} / ${mib(m.inFlightRssBytes.median)} / ${mib(m.afterRssBytes.median)}`,
      '',
    ]);
    rows.push(['6 Memory', 'heap per in-flight run', ...cells(m.heapPerInFlightRunBytes, kib)]);
    rows.push([
      '6 Memory',
      'heap left per finished run',
      ...cells(m.heapPerFinishedRunBytes, (v) => `${int(v)} B`),
    ]);
    rows.push(['6 Memory', 'heap after / idle', ...cells(m.afterToIdle, pct)]);
  }
  return markdown(['Figure', 'Measure', 'Median', 'Min – max'], rows);
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
    `File stores in ${doc.traceDir.root} (${doc.traceDir.filesystem})`,
  ].join('\n');
}
