// The README's example, run against our Tool Registry on a free port.
import { startToolRegistryServer } from '@arp-ts/tool-registry-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatText, isConformant, runConformance } from '../src/index.js';

type Logger = NonNullable<Parameters<typeof startToolRegistryServer>[0]>['logger'];
const silent: NonNullable<Logger> = {
  level: 'silent',
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silent,
  isEnabled: () => false,
};

let registry: { url: string; close(): Promise<void> };
beforeAll(async () => {
  registry = await startToolRegistryServer({ host: '127.0.0.1', port: 0, logger: silent });
  process.env.TOOL_REGISTRY_URL = registry.url;
});
afterAll(async () => {
  delete process.env.TOOL_REGISTRY_URL;
  await registry.close();
});

describe('our tool registry', () => {
  it('passes the deep tier of arp-conformance', async () => {
    const report = await runConformance({
      target: 'tool-registry',
      url: process.env.TOOL_REGISTRY_URL ?? 'http://127.0.0.1:8000',
      tier: 'deep',
    });
    expect(isConformant(report), formatText(report)).toBe(true);
  });
});
