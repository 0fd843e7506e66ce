// A local timing loop, not a test: stub runs of one goal (default the tutorial question)
// against the in-process registry with no sinks, the way issue 8's benchmark measures.
// Build first (npx tsc -p tsconfig.build.json here and in ../tool-registry-mock), then:
//   node scripts/timing.mjs ['What is (19*23)?']
import { createStubModels, runFlow } from '@arp-ts/runtime-core';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';

const deps = { toolRegistry: createToolRegistry(), models: createStubModels() };
const goal = process.argv[2] ?? 'What is (19*23)?';

async function batch(n) {
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
