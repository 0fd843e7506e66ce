// Gives every tool invocation of a registry port some latency, as real tools have. Our stub runs
// otherwise finish in microseconds, before any cancel can reach them; with latency the kit's cancel
// checks catch a run in flight and prove that cancellation really works. The delay honours the
// AbortSignal like a real invocation would.
import type { ToolRegistryPort } from '@arp-ts/runtime-core';

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function withToolLatency(port: ToolRegistryPort, ms: number): ToolRegistryPort {
  return {
    listTools: (options) => port.listTools(options),
    getTool: (idOrName, options) => port.getTool(idOrName, options),
    invokeTool: async (request, options) => {
      await delay(ms, options?.signal);
      return port.invokeTool(request, options);
    },
  };
}
