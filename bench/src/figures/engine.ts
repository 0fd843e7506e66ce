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

export interface EngineFigures {
  noopTrace: EngineSample[];
  noSinks: EngineSample[];
}

export async function measureEngine(ctx: EngineContext): Promise<EngineFigures> {
  const engine: EngineConfig = { ...ctx.config.engine };
  ctx.progress(`engine: ${engine.samples} x 2 x ${engine.runs} runs`);
  const child = await startChild({
    fixture: 'engine.js',
    env: { BENCH_ENGINE: JSON.stringify(engine) },
    nodeFlags: ctx.nodeFlagsFor('engine'),
  });
  const figures: EngineFigures = { noopTrace: [], noSinks: [] };
  try {
    for (let i = 0; i < 2 * engine.samples; i++) {
      const line = await child.lines.next();
      if (line.done) throw new Error('the engine process ended early');
      const sample = JSON.parse(line.value) as EngineSample;
      (sample.setup === 'none' ? figures.noSinks : figures.noopTrace).push(sample);
    }
  } finally {
    await child.stop();
  }
  return figures;
}
