// Builds what a run needs from the resolved configuration: the Tool Registry (embedded or HTTP),
// the model roles (stub or OpenAI) and the JSONL trace sink.
import { randomUUID } from 'node:crypto';
import type { ModelRoles, ToolRegistryPort } from '@arp-ts/runtime-core';
import type { ModelMode, ToolRegistryConfig } from './config.js';
import { errorCodeOf, usageError } from './errors.js';
import type { Env } from './io.js';

export async function createToolRegistryPort(
  config: ToolRegistryConfig,
): Promise<ToolRegistryPort> {
  // Packages are loaded when first needed: `--help` and usage errors stay instant.
  if (config.mode === 'inproc') {
    const { createToolRegistry } = await import('@arp-ts/tool-registry-mock');
    return createToolRegistry();
  }
  // Loaded only in http mode, so embedded runs do not load the HTTP client.
  const { createHttpToolRegistry } = await import('@arp-ts/runtime-core/http-tool-registry');
  return createHttpToolRegistry({ baseUrl: config.url });
}

/** The model roles of a mode. A missing OpenAI key is a configuration error (exit 2). */
export async function createModels(mode: ModelMode, env: Env): Promise<ModelRoles> {
  if (mode === 'stub') {
    const { createStubModels } = await import('@arp-ts/runtime-core');
    return createStubModels();
  }
  // Loaded only in openai mode: the vendor SDK is not needed (nor loaded) for stub runs.
  const openai = await import('@arp-ts/runtime-core/openai');
  try {
    return openai.createOpenAIModels(openai.loadOpenAIConfig({ ...env }));
  } catch (err) {
    if (errorCodeOf(err) === 'model.config_missing') {
      throw usageError(
        'OpenAI mode needs an API key: set OPENAI_API_KEY (or JARVIS_OPENAI_API_KEY)',
        'or run with --mode stub (the default) to use the deterministic stub models',
      );
    }
    if (errorCodeOf(err) !== undefined && err instanceof Error) {
      throw usageError(`OpenAI configuration: ${err.message}`);
    }
    throw err;
  }
}

/** A fresh run id that is safe as a directory name: `run_` and 32 hex digits. */
export function newRunId(): string {
  return `run_${randomUUID().replaceAll('-', '')}`;
}

/** The hint for an unreachable HTTP Tool Registry: where we looked and how to start one. */
export function registryUnreachableHint(url: string): string {
  return `no Tool Registry answered at ${url}: start one with 'arp-runtime tool-registry' (or 'arp-tool-registry'), or drop --tool-registry-url to use the embedded registry`;
}
