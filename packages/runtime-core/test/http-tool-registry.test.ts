// The HTTP tool registry adapter against the real registry served on 127.0.0.1:0.
import {
  createToolRegistry,
  startToolRegistryServer,
  type RunningToolRegistryServer,
} from '@arp-ts/tool-registry-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHttpToolRegistry } from '../src/adapters/http-tool-registry.js';
import { finalText, FIXED_NOW, harness } from './helpers.js';

const quiet = {
  level: 'silent' as const,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child() {
    return quiet;
  },
  isEnabled: () => false,
};

let server: RunningToolRegistryServer;

beforeAll(async () => {
  server = await startToolRegistryServer({
    port: 0,
    registry: createToolRegistry({ clock: { now: () => FIXED_NOW } }),
    logger: quiet,
  });
});
afterAll(() => server.close());

describe('createHttpToolRegistry', () => {
  it('runs stub flows against a registry over HTTP', async () => {
    const registry = createHttpToolRegistry({ baseUrl: server.url });
    const h = harness(registry);
    const outcome = await h.run({ input: { goal: 'What is (19*23) and what time is it in UTC?' } });
    expect(finalText(outcome)).toBe(
      '19*23 = 437\nThe time in UTC is 2026-01-02T03:04:05.000+00:00.',
    );
  });

  it('answers undefined for an unknown tool and ok: false for a failing one', async () => {
    const registry = createHttpToolRegistry({ baseUrl: server.url });
    expect(await registry.getTool('no_such_tool')).toBeUndefined();
    const failed = await registry.invokeTool({
      invocation_id: 'inv_x',
      tool_name: 'calc',
      args: { expression: '1/0' },
    });
    expect(failed).toMatchObject({
      invocation_id: 'inv_x',
      ok: false,
      error: { code: 'tool.execution_error' },
    });
    const unknown = await registry.invokeTool({
      invocation_id: 'inv_y',
      tool_id: 'nope',
      args: {},
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'tool.not_found' } });
  });

  it('caches tool definitions for cacheTtlMs', async () => {
    let now = 0;
    const fetchSpy = vi.fn(fetch);
    const registry = createHttpToolRegistry({
      baseUrl: server.url,
      fetch: fetchSpy,
      now: () => now,
    });
    const first = await registry.getTool('calc');
    expect(await registry.getTool('calc')).toBe(first);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    now += 5_001;
    await registry.getTool('calc');
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('makes an unreachable registry a retryable tool_registry.unavailable run failure', async () => {
    const registry = createHttpToolRegistry({
      baseUrl: 'http://127.0.0.1:9',
      retry: { maxAttempts: 1 },
      timeoutMs: 2_000,
    });
    const outcome = await harness(registry).run({ input: { goal: 'What is (1+1)?' } });
    expect(outcome.result.error).toMatchObject({
      code: 'tool_registry.unavailable',
      retryable: true,
    });
  });
});
