// Figure 5: how soon a streaming client sees a run's first and terminal RunEvents after its
// POST /v1/runs was answered. Sequential runs of the tutorial question against the runtime with
// the embedded registry and the file store on.
import path from 'node:path';
import { Pool } from 'undici';
import type { BenchConfig } from '../config.js';
import { timeStreamedRun, type StreamTiming } from '../load/sse-client.js';
import { urlOf } from '../procs/child.js';
import { startRuntime } from '../procs/servers.js';
import { median } from '../stats.js';
import { TUTORIAL_GOAL } from './requests.js';

/** Medians of one sample's runs. */
export interface StreamingSample {
  runs: number;
  postMs: number;
  firstEventMs: number;
  terminalEventMs: number;
  eventsPerRun: number;
}

export interface StreamingContext {
  config: BenchConfig;
  scratchDir: string;
  nodeFlagsFor(name: string): string[];
  progress(message: string): void;
}

function summarize(timings: StreamTiming[]): StreamingSample {
  return {
    runs: timings.length,
    postMs: median(timings.map((t) => t.postMs)),
    firstEventMs: median(timings.map((t) => t.firstEventMs)),
    terminalEventMs: median(timings.map((t) => t.terminalEventMs)),
    eventsPerRun: median(timings.map((t) => t.events)),
  };
}

export async function measureStreaming(ctx: StreamingContext): Promise<StreamingSample[]> {
  const { streaming } = ctx.config;
  const runtime = await startRuntime({
    traceDir: path.join(ctx.scratchDir, 'streaming'),
    nodeFlags: ctx.nodeFlagsFor('embedded'),
  });
  const pool = new Pool(urlOf(runtime), { connections: 2, pipelining: 1 });
  try {
    ctx.progress('streaming: warm-up');
    for (let i = 0; i < streaming.warmup; i++) await timeStreamedRun(pool, TUTORIAL_GOAL);
    const samples: StreamingSample[] = [];
    for (let s = 1; s <= streaming.samples; s++) {
      ctx.progress(`streaming: sample ${s}/${streaming.samples}`);
      const timings: StreamTiming[] = [];
      for (let i = 0; i < streaming.runsPerSample; i++) {
        timings.push(await timeStreamedRun(pool, TUTORIAL_GOAL));
      }
      samples.push(summarize(timings));
    }
    return samples;
  } finally {
    await pool.close();
    await runtime.stop();
  }
}
