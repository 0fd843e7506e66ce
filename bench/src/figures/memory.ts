// Figure 6: the runtime's memory with many runs in flight, each blocked inside a slow tool, and
// after they all finished. Heap figures are taken in the server process after forced full
// collections (IPC `measure`), so they show what is retained, not what awaits collection.
import path from 'node:path';
import type { BenchConfig } from '../config.js';
import { createLoadPool, runLoad, type LoadRequest } from '../load/load-generator.js';
import { urlOf, type Child } from '../procs/child.js';
import type { MemorySnapshot, RuntimeCounters } from '../procs/ipc-protocol.js';
import { startRuntime } from '../procs/servers.js';
import { createRunAndWait } from './requests.js';

export interface MemoryCycle {
  inFlightRuns: number;
  idle: MemorySnapshot;
  inFlight: MemorySnapshot;
  after: MemorySnapshot;
  /** (heap in flight - idle heap) / runs. */
  heapPerInFlightRunBytes: number;
  /** (heap after - idle heap) / runs: what each finished run leaves behind in memory. */
  heapPerFinishedRunBytes: number;
  /** heap after / idle heap. */
  afterToIdle: number;
}

export interface MemoryContext {
  config: BenchConfig;
  scratchDir: string;
  nodeFlagsFor(name: string): string[];
  progress(message: string): void;
}

/** A run the stub planner sends to echo, which blocks in the slow domain. */
const blockedRun: LoadRequest = {
  method: 'POST',
  path: '/v1/runs',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ input: { goal: 'Say hello' } }),
  check: (status) => status === 200,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(
  child: Child,
  what: string,
  done: (s: RuntimeCounters) => boolean,
): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const stats = (await child.stats()).runtime;
    if (!stats) throw new Error(`${child.name} reports no runtime counters`);
    if (done(stats)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(stats)}`);
    await sleep(20);
  }
}

export async function measureMemory(ctx: MemoryContext): Promise<MemoryCycle[]> {
  const { memory } = ctx.config;
  const runtime = await startRuntime({
    traceDir: path.join(ctx.scratchDir, 'memory'),
    slow: true,
    maxConcurrentRuns: memory.inFlightRuns,
    nodeFlags: ctx.nodeFlagsFor('memory'),
  });
  const pool = createLoadPool(urlOf(runtime), 32);
  const submit = async (runs: number): Promise<void> => {
    const result = await runLoad({ pool, concurrency: 32, requests: runs, request: blockedRun });
    if (result.errors > 0) throw new Error(`could not submit runs: ${result.errorSamples[0]}`);
  };
  const settle = (): Promise<void> =>
    waitFor(runtime, 'the runs to finish', (s) => s.inFlight === 0 && s.queueDepth === 0);
  try {
    ctx.progress('memory: warm-up');
    // Warm both paths: runs that finish at once, and runs that block and are released.
    await runLoad({
      pool,
      concurrency: 32,
      requests: memory.warmupRuns,
      request: createRunAndWait,
    });
    await submit(memory.warmupRuns);
    await waitFor(runtime, 'warm-up runs to block', (s) => s.blocked === memory.warmupRuns);
    await runtime.release();
    await settle();

    const cycles: MemoryCycle[] = [];
    for (let cycle = 1; cycle <= memory.cycles; cycle++) {
      ctx.progress(`memory: cycle ${cycle}/${memory.cycles}`);
      const n = memory.inFlightRuns;
      const idle = await runtime.measure();
      await submit(n);
      await waitFor(runtime, `${n} runs to block`, (s) => s.blocked === n);
      const inFlight = await runtime.measure();
      const released = await runtime.release();
      if (released !== n) throw new Error(`released ${released} runs, expected ${n}`);
      await settle();
      const after = await runtime.measure();
      cycles.push({
        inFlightRuns: n,
        idle,
        inFlight,
        after,
        heapPerInFlightRunBytes: (inFlight.heapUsed - idle.heapUsed) / n,
        heapPerFinishedRunBytes: (after.heapUsed - idle.heapUsed) / n,
        afterToIdle: after.heapUsed / idle.heapUsed,
      });
    }
    return cycles;
  } finally {
    await pool.close();
    await runtime.stop();
  }
}
