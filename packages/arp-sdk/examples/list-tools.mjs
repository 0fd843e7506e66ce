// @ts-check
// Lists the tools of an ARP tool registry and invokes one of them.
//   node examples/list-tools.mjs [registry-url]
// The URL defaults to $ARP_TOOL_REGISTRY_URL or http://127.0.0.1:8000.
import { randomUUID } from 'node:crypto';
import { ArpApiError, ToolRegistryClient } from '@arp-ts/sdk';

const baseUrl = process.argv[2] ?? process.env.ARP_TOOL_REGISTRY_URL ?? 'http://127.0.0.1:8000';
const registry = new ToolRegistryClient({ baseUrl, token: process.env.ARP_TOKEN });

try {
  const tools = await registry.listTools();
  for (const tool of tools) console.log(`${tool.tool_id}  ${tool.name}: ${tool.description ?? ''}`);

  const result = await registry.invokeTool({
    invocation_id: randomUUID(),
    tool_name: 'echo',
    args: { text: 'hello from the SDK' },
  });
  // A tool's own failure is a result with ok: false, not an exception.
  console.log(
    result.ok ? `echo: ${JSON.stringify(result.result)}` : `echo failed: ${result.error?.code}`,
  );
} catch (error) {
  if (!(error instanceof ArpApiError)) throw error;
  console.error(`${error.code} (HTTP ${error.status}): ${error.message}`);
  process.exitCode = 1;
}
