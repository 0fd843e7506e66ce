// The kit must be able to fail (tool registries): against fixture services that break the standard in
// known ways, exactly the checks aimed at each break fail; against the correct fixture, nothing
// fails.
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKS, INVALID_TOOL_INVOCATION_REQUEST_IDS, runConformance } from '../src/index.js';
import { startFakeRegistry, type RegistryBreak } from './fixtures/fake-registry.js';
import { startFakeRuntime } from './fixtures/fake-runtime.js';
import { deep, ids } from './fixtures/report.js';
import type { StartedServer } from './fixtures/server.js';

let server: StartedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const invalidToolRequestChecks = INVALID_TOOL_INVOCATION_REQUEST_IDS.map(
  (id) => `tool_registry.deep.invalid_request.${id}`,
);

const registryBreaks: Array<[RegistryBreak, string[]]> = [
  ['health_missing_status', ['tool_registry.smoke.health']],
  ['version_without_v1', ['tool_registry.smoke.api_version_v1']],
  ['tool_source_enum', ['tool_registry.core.list_tools']],
  ['bad_json_500', ['tool_registry.surface.invoke_invalid_json']],
  ['invalid_request_200', ['tool_registry.surface.invoke_empty_body', ...invalidToolRequestChecks]],
  ['invalid_args_accepted', ['tool_registry.deep.invalid_args']],
  ['unknown_tool_404', ['tool_registry.deep.unknown_tool']],
];

describe('against a correct tool registry', () => {
  it('passes every check of the deep tier, and reports every registry check of the catalog', async () => {
    server = await startFakeRegistry();
    const report = await deep('tool-registry', server.url);
    expect(ids(report, 'FAIL')).toEqual([]);
    expect(ids(report, 'WARN')).toEqual([]);
    expect(ids(report, 'SKIP')).toEqual([]);
    expect(report.checks.map((c) => c.id)).toEqual(
      CHECKS.filter((c) => c.target === 'tool-registry').map((c) => c.id),
    );
  });
});

describe.each(registryBreaks)('against a tool registry with break %s', (brk, expected) => {
  it(`fails exactly ${expected.length} targeted check(s)`, async () => {
    server = await startFakeRegistry([brk]);
    const report = await deep('tool-registry', server.url);
    expect(ids(report, 'FAIL')).toEqual([...expected].sort());
  });
});

describe('details of a failure', () => {
  it('holds the schema errors and the exchange, with secrets hidden', async () => {
    server = await startFakeRegistry(['health_missing_status']);
    const report = await runConformance({
      target: 'tool-registry',
      url: server.url,
      tier: 'smoke',
      headers: { Authorization: 'Bearer secret-token-123' },
    });
    const health = report.checks.find((c) => c.id === 'tool_registry.smoke.health');
    expect(health?.status).toBe('FAIL');
    expect(health?.schemaErrors).toEqual([
      expect.objectContaining({ path: '$.status', keyword: 'required' }),
    ]);
    const exchange = health?.exchanges?.[0];
    expect(exchange?.request.url).toBe(`${server.url}/v1/health`);
    expect(exchange?.request.headers.Authorization).toBe('Bearer <redacted>');
    expect(JSON.stringify(report)).not.toContain('secret-token-123');
    expect(exchange?.response?.status).toBe(200);
    expect(exchange?.response?.body).toContain('"time"');
    // Passing checks stay small: no exchanges kept.
    expect(report.checks.find((c) => c.status === 'PASS')?.exchanges).toBeUndefined();
  });

  it('warns (not fails) on a plain-text 404 for an unknown route', async () => {
    server = await startFakeRegistry(['plain_404_route']);
    const report = await runConformance({
      target: 'tool-registry',
      url: server.url,
      tier: 'surface',
    });
    expect(ids(report, 'FAIL')).toEqual([]);
    expect(ids(report, 'WARN')).toEqual(['tool_registry.surface.unknown_route']);
  });

  it('reports an unreachable service as one failure and skips the rest', async () => {
    server = await startFakeRuntime();
    const url = server.url;
    await server.close();
    server = undefined;
    const report = await runConformance({ target: 'runtime', url, tier: 'deep' });
    expect(ids(report, 'FAIL')).toEqual(['runtime.smoke.health']);
    expect(report.summary.skipped).toBe(report.checks.length - 1);
    expect(report.checks[0]?.message).toContain('no HTTP answer');
  });
});
