import { validateErrorEnvelope, validateHealth, validateRunStatus } from '@arp-ts/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectOk } from './helpers/http.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const safeId = fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/);
const anyId = fc.oneof(
  safeId,
  fc.string({ maxLength: 200 }),
  fc.constantFrom('..', '.', '../x', '/etc/passwd'),
);
const labels = fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), {
  maxKeys: 3,
});

const validRequest = fc.record(
  {
    run_id: safeId,
    input: fc.record(
      {
        goal: fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.constantFrom('What is (19*23)?', 'say hello', 'what time is it in Tokyo', ''),
        ),
        context: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
          maxKeys: 3,
        }),
        data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
          maxKeys: 3,
        }),
      },
      { requiredKeys: ['goal'] },
    ),
    limits: fc.record(
      {
        timeout_ms: fc.integer({ min: 0, max: 5_000 }),
        max_steps: fc.integer({ min: 1, max: 8 }),
        max_tokens: fc.integer({ min: 1, max: 10_000 }),
      },
      { requiredKeys: [] },
    ),
    tool_policy: fc.record(
      {
        allow_tool_ids: fc.array(fc.constantFrom('tool_calc', 'tool_echo', 'x'), { maxLength: 3 }),
        deny_tool_ids: fc.array(fc.constantFrom('tool_calc', 'tool_echo', 'x'), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    metadata: fc.record({ labels, annotations: labels }, { requiredKeys: [] }),
    extensions: fc.dictionary(
      fc.constantFrom('com.example.a', 'org.test.b'),
      fc.jsonValue({ maxDepth: 2 }),
      {
        maxKeys: 2,
      },
    ),
  },
  { requiredKeys: ['input'] },
);

type Json = ReturnType<typeof JSON.parse>;

/** Breaks a valid request in one of many ways. */
const mutated = fc
  .tuple(
    validRequest,
    fc.constantFrom(
      'drop-input',
      'drop-goal',
      'goal-type',
      'extra-key',
      'run-id',
      'limits',
      'input-type',
      'wrap',
      'policy',
    ),
    fc.jsonValue({ maxDepth: 3 }),
    anyId,
  )
  .map(([request, how, junk, id]): Json => {
    const r: Record<string, Json> = structuredClone(request);
    switch (how) {
      case 'drop-input':
        delete r.input;
        return r;
      case 'drop-goal':
        return { ...r, input: { ...(r.input as object), goal: undefined } };
      case 'goal-type':
        return { ...r, input: { goal: junk } };
      case 'extra-key':
        return { ...r, surprise: junk };
      case 'run-id':
        return { ...r, run_id: id };
      case 'limits':
        return { ...r, limits: { max_steps: junk, timeout_ms: -1 } };
      case 'input-type':
        return { ...r, input: junk };
      case 'wrap':
        return [r];
      default:
        return { ...r, tool_policy: { allow_tool_ids: junk } };
    }
  });

const body = fc.oneof(
  { weight: 3, arbitrary: validRequest.map((r): { json: Json } => ({ json: r })) },
  { weight: 4, arbitrary: mutated.map((r): { json: Json } => ({ json: r })) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((r): { json: Json } => ({ json: r })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }).map((raw) => ({ raw })) },
);

describe('property: random and mutated RunRequests', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Health must say ok after a thousand runs: the file store's probe (a write and a delete) gets
    // a timeout a loaded machine cannot overrun; past the default second it would be 'degraded'.
    server = await startTestServer({ maxConcurrentRuns: 4, healthTimeoutMs: 30_000 });
  });
  afterAll(async () => {
    await server.close();
  });

  it('never answer 5xx; every 4xx is an ErrorEnvelope, every 200 a RunStatus; health stays ok', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const answer =
          'raw' in input
            ? await call(server.url, '/v1/runs', {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: input.raw,
              })
            : await call(server.url, '/v1/runs', { method: 'POST', json: input.json });
        seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status === 200) {
          expect(validateRunStatus(answer.body).ok, answer.text).toBe(true);
        } else {
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(validateErrorEnvelope(answer.body).ok, answer.text).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
    // Both sides of the property were exercised.
    expect(seen.get(200) ?? 0).toBeGreaterThan(100);
    expect(seen.get(400) ?? 0).toBeGreaterThan(100);
    const health = expectOk(await call(server.url, '/v1/health'), validateHealth);
    expect(health.status).toBe('ok');
  }, 180_000); // 1000 requests: ~4 s alone, 30 s when every package's tests share two cores
});
