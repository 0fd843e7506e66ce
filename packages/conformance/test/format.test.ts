import { describe, expect, it } from 'vitest';
import { formatJson, formatJunit, formatText, summarize, type Report } from '../src/index.js';

function report(): Report {
  const checks: Report['checks'] = [
    {
      id: 'runtime.smoke.health',
      name: 'health',
      tier: 'smoke',
      status: 'PASS',
      message: 'ok',
      durationMs: 3,
    },
    {
      id: 'runtime.smoke.version',
      name: 'version',
      tier: 'smoke',
      status: 'FAIL',
      message: 'GET /v1/version does not validate: $.service_name is required',
      durationMs: 4,
      schemaErrors: [{ path: '$.service_name', message: 'is required', keyword: 'required' }],
      exchanges: [
        {
          request: { method: 'GET', url: 'http://x/v1/version', headers: {} },
          response: {
            status: 200,
            headers: {},
            body: '{"service_version":"1 & <2>"}',
            truncated: false,
          },
          durationMs: 4,
        },
      ],
    },
    {
      id: 'runtime.smoke.api_version_v1',
      name: 'v1',
      tier: 'smoke',
      status: 'SKIP',
      message: 'needs version',
      durationMs: 0,
    },
    {
      id: 'runtime.surface.unknown_route',
      name: 'route',
      tier: 'surface',
      status: 'WARN',
      message: 'plain 404',
      durationMs: 1,
    },
  ];
  return {
    kit: { name: '@arp-ts/conformance', version: '9.9.9' },
    target: 'runtime',
    url: 'http://x',
    tier: 'surface',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 8,
    checks,
    summary: summarize(checks),
  };
}

describe('formatText', () => {
  it('prints one line per check, the details of failures and warnings, and the summary', () => {
    const text = formatText(report());
    const lines = text.split('\n');
    expect(lines[0]).toBe('@arp-ts/conformance 9.9.9: runtime at http://x, tier surface');
    expect(lines).toContain('PASS  runtime.smoke.health  health: ok');
    expect(lines).toContain('SKIP  runtime.smoke.api_version_v1  v1: needs version');
    expect(text).toContain('FAIL runtime.smoke.version');
    expect(text).toContain('  schema: $.service_name is required');
    expect(text).toContain('    > GET http://x/v1/version');
    expect(text).toContain('    < 200 (4 ms)');
    expect(lines.at(-2)).toBe('1 passed, 1 failed, 1 warned, 1 skipped');
  });
});

describe('formatJson', () => {
  it('round-trips the report', () => {
    expect(JSON.parse(formatJson(report()))).toEqual(report());
  });
});

describe('formatJunit', () => {
  it('writes one escaped testcase per check; WARN fails only in strict mode', () => {
    const xml = formatJunit(report());
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('tests="4" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<skipped message="needs version"/>');
    expect(xml).toContain('1 &amp; &lt;2&gt;');
    expect(xml).not.toContain('1 & <2>');
    expect(xml).toContain('<system-out>WARN: plain 404</system-out>');
    expect(formatJunit(report(), { strict: true })).toContain('failures="2"');
  });
});
