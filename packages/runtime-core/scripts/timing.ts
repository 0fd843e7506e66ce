// A local timing loop (not a test): stub runs of the tutorial question against the in-process
// registry with no sinks, as issue 8's benchmark measures. Run: node scripts/timing.mjs (see README).
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { createStubModels, runFlow, type FlowDeps } from '../src/index.js';

const deps: FlowDeps = { toolRegistry: createToolRegistry(), models: createStubModels() };
const goal = process.argv[2] ?? 'What is (19*23)?';

async function batch(n: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const outcome = await runFlow({ input: { goal } }, deps);
    if (!outcome.result.ok) throw new Error(JSON.stringify(outcome.result.error));
  }
  return Number(process.hrtime.bigint() - started) / 1e3 / n;
}

await batch(20_000);
for (let round = 0; round < 5; round++) {
  const perRun = await batch(100_000);
  console.log(`${goal}: ${perRun.toFixed(2)} µs/run, ${Math.round(1e6 / perRun)} runs/s`);
}
