import { describe, expect, it } from 'vitest';
import { validateRunRequest, validateToolInvocationRequest } from '@arp-ts/sdk';

describe('validators', () => {
  it('accepts a minimal RunRequest', () => {
    expect(validateRunRequest({ input: { goal: 'hi' } })).toEqual({
      ok: true,
      value: { input: { goal: 'hi' } },
    });
  });
  it('reports a missing goal with a readable path', () => {
    const r = validateRunRequest({ input: {} });
    expect(r).toEqual({
      ok: false,
      errors: [{ path: '$.input.goal', message: 'is required', keyword: 'required' }],
    });
  });
  it('needs tool_id or tool_name', () => {
    expect(validateToolInvocationRequest({ invocation_id: 'i', args: {} }).ok).toBe(false);
    expect(
      validateToolInvocationRequest({ invocation_id: 'i', tool_name: 'calc', args: {} }).ok,
    ).toBe(true);
  });
});
