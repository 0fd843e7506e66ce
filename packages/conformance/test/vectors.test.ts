import { validateRunRequest, validateToolInvocationRequest } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { CHECKS, INVALID_RUN_REQUESTS, invalidToolInvocationRequests } from '../src/index.js';

/** A string body is raw JSON text; anything else is sent as JSON. */
const asSent = (body: unknown): unknown =>
  typeof body === 'string' ? (JSON.parse(body) as unknown) : body;

describe('the invalid RunRequest vectors', () => {
  it.each(INVALID_RUN_REQUESTS.map((v) => [v.id, v] as const))('%s breaks the schema', (_id, v) => {
    expect(validateRunRequest(asSent(v.body)).ok).toBe(false);
  });

  it('have unique ids', () => {
    const ids = INVALID_RUN_REQUESTS.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('the invalid ToolInvocationRequest vectors', () => {
  it.each(invalidToolInvocationRequests('tool_echo').map((v) => [v.id, v] as const))(
    '%s breaks the schema',
    (_id, v) => {
      expect(validateToolInvocationRequest(asSent(v.body)).ok).toBe(false);
    },
  );
});

describe('the check catalog', () => {
  it('has unique ids that start with their target', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of CHECKS) {
      const prefix = check.target === 'runtime' ? 'runtime.' : 'tool_registry.';
      expect(check.id.startsWith(`${prefix}${check.tier}.`)).toBe(true);
    }
  });
});
