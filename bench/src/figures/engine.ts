// Figure 1: the engine alone (runFlow, stub models, in-process registry), in its own process.
import type { BenchConfig } from '../config.js';
import type { EngineConfig, EngineSample } from '../fixtures/engine.js';
import { startChild } from '../procs/child.js';

export type { EngineSample };

export interface EngineContext {
  config: BenchConfig;
  nodeFlagsFor(name: string): string[];
  progress(message: string): void;
}

export async function measureEngine(
  ctx: EngineContext,
  sink: EngineConfig['sink'],
): Promise<EngineSample[]> {
  const engine: EngineConfig = { ...ctx.config.engine, sink };
  ctx.progress(`engine (${sink}): ${engine.samples} x ${engine.runs} runs`);
  const child = await startChild({
    fixture: 'engine.js',
    env: { BENCH_ENGINE: JSON.stringify(engine) },
    nodeFlags: sink === 'noop-trace' ? ctx.nodeFlagsFor('engine') : [],
  });
  const samples: EngineSample[] = [];
  try {
    for (let i = 0; i < engine.samples; i++) {
      const line = await child.lines.next();
      if (line.done) throw new Error('the engine process ended early');
      samples.push(JSON.parse(line.value) as EngineSample);
    }
  } finally {
    await child.stop();
  }
  return samples;
}
