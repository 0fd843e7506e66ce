import { validateToolDefinition, validateToolInvocationResult } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { coreDomain, createToolRegistry } from '../src/index.js';
import { invoke } from './helpers.js';

let now = Date.now();
// One registry for every case; tests move its clock.
const registry = createToolRegistry({ clock: { now: () => now } });

function at(epochMs: number) {
  now = epochMs;
  return registry;
}

describe('core tool definitions', () => {
  it('has echo, calc and time_now with the agreed ids', () => {
    expect(coreDomain.tools.map((t) => [t.definition.tool_id, t.definition.name])).toEqual([
      ['tool_echo', 'echo'],
      ['tool_calc', 'calc'],
      ['tool_time_now', 'time_now'],
    ]);
  });

  it.each(coreDomain.tools.map((t) => [t.definition.name, t.definition] as const))(
    '%s is a valid ToolDefinition with strict, structured-outputs compatible schemas',
    (_name, definition) => {
      expect(validateToolDefinition(definition).ok).toBe(true);
      expect(definition.source).toBe('registry_local');
      expect(definition.description?.length ?? 0).toBeGreaterThan(40);
      for (const schema of [definition.input_schema, definition.output_schema]) {
        expect(schema).toBeDefined();
        const properties = Object.keys((schema?.properties ?? {}) as Record<string, unknown>);
        expect(schema?.type).toBe('object');
        expect(schema?.additionalProperties).toBe(false);
        // Every property required: optional ones are expressed as nullable instead.
        expect([...((schema?.required ?? []) as string[])].sort()).toEqual(properties.sort());
      }
    },
  );

  it('declares time_now.tz as a required nullable string', () => {
    const tz = registry.findTool('time_now')?.input_schema.properties as Record<string, unknown>;
    expect(tz.tz).toMatchObject({ type: ['string', 'null'] });
  });
});

describe('echo', () => {
  it('returns the text unchanged', async () => {
    const result = await invoke(registry, 'echo', { text: 'héllo\nworld' });
    expect(result).toMatchObject({ ok: true, result: { text: 'héllo\nworld' } });
    expect(validateToolInvocationResult(result).ok).toBe(true);
  });

  it('refuses a missing or non-string text', async () => {
    for (const args of [{}, { text: 42 }, { text: 'a', extra: true }]) {
      const result = await invoke(registry, 'echo', args);
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('tool.invalid_args');
    }
  });
});

describe('calc', () => {
  it('evaluates (19*23) to 437 and echoes the trimmed expression', async () => {
    const result = await invoke(registry, 'calc', { expression: '  (19*23) ' });
    expect(result).toMatchObject({ ok: true, result: { expression: '(19*23)', value: 437 } });
    expect(validateToolInvocationResult(result).ok).toBe(true);
  });

  it('reports syntax errors as tool.execution_error with the position', async () => {
    const result = await invoke(registry, 'calc', { expression: '2 * (3 + ' });
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      code: 'tool.execution_error',
      message: 'Unexpected end of expression at position 8',
      details: { position: 8 },
    });
  });

  it('reports division by zero and non-finite results as execution errors', async () => {
    const byZero = await invoke(registry, 'calc', { expression: '1/0' });
    expect(byZero.error).toMatchObject({ code: 'tool.execution_error', details: { position: 1 } });
    const huge = await invoke(registry, 'calc', { expression: '9^999' });
    expect(huge.error).toMatchObject({
      code: 'tool.execution_error',
      message: 'Result is too large at position 1',
    });
  });

  it('refuses expressions over 1,000 characters with the position', async () => {
    const result = await invoke(registry, 'calc', { expression: '1+'.repeat(600) + '1' });
    expect(result.error).toMatchObject({
      code: 'tool.execution_error',
      details: { position: 1000 },
    });
  });

  it('never executes code', async () => {
    const result = await invoke(registry, 'calc', { expression: 'process.exit(1)' });
    expect(result.error).toMatchObject({
      code: 'tool.execution_error',
      message: "Unknown name 'process' at position 0",
    });
  });
});

describe('time_now', () => {
  const newYear = Date.UTC(2026, 0, 1, 0, 0, 0, 0);

  it.each([
    ['Asia/Tokyo', newYear, 'Asia/Tokyo', '2026-01-01T09:00:00.000+09:00'],
    ['America/New_York', newYear, 'America/New_York', '2025-12-31T19:00:00.000-05:00'],
    [
      'America/New_York',
      Date.UTC(2026, 6, 1, 12),
      'America/New_York',
      '2026-07-01T08:00:00.000-04:00',
    ],
    ['Asia/Kolkata', newYear + 123, 'Asia/Kolkata', '2026-01-01T05:30:00.123+05:30'],
    ['Asia/Kathmandu', newYear, 'Asia/Kathmandu', '2026-01-01T05:45:00.000+05:45'],
    ['America/St_Johns', newYear, 'America/St_Johns', '2025-12-31T20:30:00.000-03:30'],
    ['UTC', newYear, 'UTC', '2026-01-01T00:00:00.000+00:00'],
    ['utc', newYear, 'UTC', '2026-01-01T00:00:00.000+00:00'],
    ['asia/tokyo', newYear, 'Asia/Tokyo', '2026-01-01T09:00:00.000+09:00'],
    [
      'Europe/Berlin',
      Date.UTC(2026, 2, 29, 0, 59, 59, 999),
      'Europe/Berlin',
      '2026-03-29T01:59:59.999+01:00',
    ],
    [
      'Europe/Berlin',
      Date.UTC(2026, 2, 29, 1, 0, 0, 0),
      'Europe/Berlin',
      '2026-03-29T03:00:00.000+02:00',
    ],
  ])('%s at %d is %s %s', async (tz, epoch, canonical, iso) => {
    const result = await invoke(at(epoch), 'time_now', { tz });
    expect(result).toMatchObject({ ok: true, result: { tz: canonical, iso, epoch_ms: epoch } });
    expect(validateToolInvocationResult(result).ok).toBe(true);
  });

  it('defaults to UTC when tz is null', async () => {
    const result = await invoke(at(newYear), 'time_now', { tz: null });
    expect(result.result).toEqual({
      tz: 'UTC',
      iso: '2026-01-01T00:00:00.000+00:00',
      epoch_ms: newYear,
    });
  });

  it('gives timestamps that parse back to the same instant, in many zones and seasons', async () => {
    const zones = [
      'Pacific/Auckland',
      'Australia/Adelaide',
      'America/Sao_Paulo',
      'Africa/Cairo',
      'Europe/London',
      'Pacific/Honolulu',
    ];
    for (let i = 0; i < 24; i++) {
      const epoch = Date.UTC(2020, 0, 1) + i * 37 * 86_400_000 + i * 3_600_123;
      for (const tz of zones) {
        const result = await invoke(at(epoch), 'time_now', { tz });
        const iso = String(result.result?.iso);
        expect(iso).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
        expect(Date.parse(iso)).toBe(epoch);
      }
    }
  });

  it('answers tool.invalid_args for an unknown zone', async () => {
    for (const tz of ['Mars/Olympus_Mons', 'x'.repeat(200), '../../etc/passwd']) {
      const result = await invoke(registry, 'time_now', { tz });
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('tool.invalid_args');
      expect(result.error?.details).toEqual({
        errors: [{ path: '$.tz', message: 'is not a known IANA time zone', keyword: 'timeZone' }],
      });
      expect(validateToolInvocationResult(result).ok).toBe(true);
    }
  });

  it('requires tz to be present (null for UTC)', async () => {
    const result = await invoke(registry, 'time_now', {});
    expect(result.error?.code).toBe('tool.invalid_args');
    expect(result.error?.details).toEqual({
      errors: [{ path: '$.tz', message: 'is required', keyword: 'required' }],
    });
  });

  it('uses the real clock by default', async () => {
    const before = Date.now();
    const result = await invoke(createToolRegistry(), 'time_now', { tz: null });
    const epoch = Number(result.result?.epoch_ms);
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(epoch).toBeLessThanOrEqual(Date.now());
  });
});
