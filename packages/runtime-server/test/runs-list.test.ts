import { validateRunList, type RunList } from '@arp-ts/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createRun, expectError, expectOk } from './helpers/http.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('GET /v1/runs', () => {
  let server: TestServer;
  const created: string[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    for (let i = 0; i < 7; i++) {
      const status = await createRun(server.url, { input: { goal: `say ${i}` } }, { wait: 10 });
      created.push(status.run_id);
    }
    const failed = await createRun(
      server.url,
      { input: { goal: 'say a and say b' }, limits: { max_steps: 1 } },
      { wait: 10 },
    );
    created.push(failed.run_id);
  });
  afterAll(async () => {
    await server.close();
  });

  const list = async (query: string): Promise<RunList> =>
    expectOk(await call(server.url, `/v1/runs${query}`), validateRunList);

  it('lists runs newest first', async () => {
    const page = await list('');
    expect(page.runs.map((r) => r.run_id)).toEqual([...created].reverse());
    expect(page.next_page_token).toBeUndefined();
  });

  it('pages with page_size and page_token, without gaps or repeats', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await list(`?page_size=3${token ? `&page_token=${token}` : ''}`);
      expect(page.runs.length).toBeLessThanOrEqual(3);
      seen.push(...page.runs.map((r) => r.run_id));
      token = page.next_page_token;
      pages++;
    } while (token);
    expect(seen).toEqual([...created].reverse());
    expect(pages).toBe(3);
  });

  it('filters by state', async () => {
    const failed = await list('?state=failed');
    expect(failed.runs).toHaveLength(1);
    expect(failed.runs[0]?.state).toBe('failed');
    const succeeded = await list('?state=succeeded');
    expect(succeeded.runs).toHaveLength(7);
    expect(succeeded.runs.every((r) => r.state === 'succeeded')).toBe(true);
  });

  it('refuses bad query parameters with 400 request.invalid_query', async () => {
    for (const query of [
      '?state=done',
      '?page_size=0',
      '?page_size=1001',
      '?page_size=abc',
      '?page_token=!!!',
      '?page_token=bm90LWEtdG9rZW4',
      '?state=failed&state=queued',
    ]) {
      expectError(await call(server.url, `/v1/runs${query}`), 400, 'request.invalid_query');
    }
  });
});
