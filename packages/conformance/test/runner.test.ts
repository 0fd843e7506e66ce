import { describe, expect, it } from 'vitest';
import { ConformanceOptionsError, runConformance, type ConformanceOptions } from '../src/index.js';

describe('runConformance options', () => {
  it.each<[string, Partial<ConformanceOptions>, RegExp]>([
    ['a URL that is not one', { url: 'not a url' }, /not a valid URL/],
    ['a URL of another scheme', { url: 'file:///etc/passwd' }, /http or https/],
    ['an unknown tier', { tier: 'extreme' as never }, /tier must be one of/],
    ['an unknown target', { target: 'daemon' as never }, /target must be one of/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs must be a positive integer/],
    ['a fractional poll timeout', { pollTimeoutMs: 1.5 }, /pollTimeoutMs must be/],
    ['a bad header name', { headers: { 'Bad Header': 'x' } }, /is not a header name/],
    ['a header value with a line break', { headers: { 'X-A': 'a\r\nX-B: b' } }, /line break/],
  ])('refuses %s before sending anything', async (_what, override, message) => {
    let called = false;
    const options: ConformanceOptions = {
      target: 'runtime',
      url: 'http://127.0.0.1:9',
      fetch: () => {
        called = true;
        return Promise.reject(new Error('no network in this test'));
      },
      ...override,
    };
    const attempt = runConformance(options);
    await expect(attempt).rejects.toBeInstanceOf(ConformanceOptionsError);
    await expect(attempt).rejects.toThrow(message);
    expect(called).toBe(false);
  });

  it('uses an injected fetch for every request', async () => {
    const urls: string[] = [];
    const report = await runConformance({
      target: 'tool-registry',
      url: 'http://registry.test/base/',
      tier: 'smoke',
      fetch: (input) => {
        urls.push(String(input));
        const body = String(input).endsWith('/v1/health')
          ? { status: 'ok', time: '2026-01-01T00:00:00Z' }
          : { service_name: 's', service_version: '1', supported_api_versions: ['v1'] };
        return Promise.resolve(Response.json(body));
      },
    });
    expect(report.summary).toMatchObject({ passed: 3, failed: 0 });
    expect(report.url).toBe('http://registry.test/base');
    expect(urls).toEqual([
      'http://registry.test/base/v1/health',
      'http://registry.test/base/v1/version',
      'http://registry.test/base/v1/version',
    ]);
  });
});
