// @ts-check
// Submits a run to an ARP runtime, follows its events as they happen and prints its result.
//   node examples/run-and-follow.mjs [runtime-url] [goal]
// The URL defaults to $ARP_RUNTIME_URL or http://127.0.0.1:8081; $ARP_TOKEN is sent as bearer.
import { ArpApiError, RuntimeClient } from '@arp-ts/sdk';

const baseUrl = process.argv[2] ?? process.env.ARP_RUNTIME_URL ?? 'http://127.0.0.1:8081';
const goal = process.argv[3] ?? 'What is 6 * 7?';
const runtime = new RuntimeClient({ baseUrl, token: process.env.ARP_TOKEN, timeoutMs: 10_000 });

try {
  const health = await runtime.health();
  console.log(`runtime at ${baseUrl} is ${health.status}`);

  const status = await runtime.createRun({ input: { goal } });
  console.log(`run ${status.run_id} is ${status.state}`);

  for await (const event of runtime.streamRunEvents(status.run_id)) {
    console.log(`  #${event.seq} ${event.type}`);
  }

  const result = await runtime.getRunResult(status.run_id);
  if (result.ok) console.log(`output: ${JSON.stringify(result.output ?? {})}`);
  else console.log(`failed: ${result.error?.code}: ${result.error?.message}`);
} catch (error) {
  if (!(error instanceof ArpApiError)) throw error;
  // Every failure of a call arrives here with a stable code, whatever went wrong.
  console.error(`${error.code} (HTTP ${error.status}): ${error.message}`);
  process.exitCode = 1;
}
