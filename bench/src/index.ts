// `pnpm bench [--quick]`: measures the runtime against its ceiling (see README.md), prints the
// tables and writes results/latest.json (full), results/quick.json (--quick) or
// results/partial.json (--only). Child processes run the code under test; this process only
// generates load and collects figures.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE, UsageError, type BenchConfig } from './config.js';
import { measureEngine } from './figures/engine.js';
import { measureHttpFigures } from './figures/http.js';
import { measureMemory } from './figures/memory.js';
import { measureStreaming } from './figures/streaming.js';
import { filesystemOf } from './procs/filesystem.js';
import { buildResults, machineInfo, type RawResults } from './report/results.js';
import { renderFigures, renderHeader, renderTargets } from './report/table.js';

const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));

function resultsFile(config: BenchConfig): string {
  if (config.only.size > 0) return 'partial.json';
  return config.mode === 'quick' ? 'quick.json' : 'latest.json';
}

async function main(): Promise<number> {
  let config: BenchConfig | 'help';
  try {
    config = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (config === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cfg = config;
  const wants = (figure: string): boolean => cfg.only.size === 0 || cfg.only.has(figure);
  const profileDir = path.join(resultsDir, 'profiles');
  if (cfg.profile.size > 0) await mkdir(profileDir, { recursive: true });
  // One directory per figure and run: a runtime cluster's workers inherit these flags, and each
  // process writes its own profile there under Node's default name (with its pid).
  const nodeFlagsFor = (name: string): string[] =>
    cfg.profile.has(name)
      ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, `${name}-${Date.now()}`)}`]
      : [];
  const started = Date.now();
  const progress = (message: string): void => {
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}\n`);
  };
  const loadAverageAtStart = os.loadavg();
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'arp-bench-'));
  const traceDir = { root: os.tmpdir(), filesystem: await filesystemOf(scratchDir) };
  const raw: RawResults = {};
  try {
    const ctx = { config: cfg, scratchDir, nodeFlagsFor, progress };
    if (wants('engine')) {
      raw.engine = await measureEngine(ctx);
    }
    if (['ceiling', 'floor', 'embedded', 'http-registry'].some(wants)) {
      raw.http = await measureHttpFigures({ ...ctx, wants });
    }
    if (wants('streaming')) raw.streaming = await measureStreaming(ctx);
    if (wants('memory')) raw.memory = await measureMemory(ctx);
  } finally {
    progress('removing the trace directories');
    await rm(scratchDir, { recursive: true, force: true });
  }

  const doc = buildResults(cfg, raw, {
    date: new Date(started),
    durationSeconds: (Date.now() - started) / 1000,
    machine: machineInfo(loadAverageAtStart),
    traceDir,
  });
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, resultsFile(cfg));
  await writeFile(file, JSON.stringify(doc, null, 2) + '\n');
  process.stdout.write(
    `\n${renderHeader(doc)}\n\n${renderFigures(doc)}\n\n${renderTargets(doc)}\n\nWrote ${path.relative(process.cwd(), file)}\n`,
  );
  // Targets may be missed (the figures say so), but a server that answered wrongly makes the
  // run fail: CI runs --quick to keep every figure working.
  const f = doc.figures;
  const failed = [f.ceiling, f.floor, ...(f.embedded ?? []), ...(f.httpRegistry ?? [])].reduce(
    (n, figure) => n + (figure?.errors ?? 0),
    0,
  );
  if (failed > 0) {
    process.stderr.write(`bench: ${failed} requests failed (see the warnings above)\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
