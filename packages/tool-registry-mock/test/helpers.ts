import type { ToolInvocationResult } from '@arp-ts/sdk';
import type { ToolRegistry } from '../src/index.js';

let counter = 0;

/** Invokes a tool by name with a fresh invocation id. */
export function invoke(
  registry: ToolRegistry,
  toolName: string,
  args: Record<string, unknown>,
  options?: { signal?: AbortSignal },
): Promise<ToolInvocationResult> {
  counter += 1;
  return registry.invokeTool(
    { invocation_id: `inv_${counter}`, tool_name: toolName, args },
    options,
  );
}
