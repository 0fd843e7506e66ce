import { describe, expect, it } from 'vitest';
import type { ToolInvocationRequest } from '@arp-ts/sdk';
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

describe('generated types', () => {
  it('require a ToolInvocationRequest to name its tool, as the schema does', () => {
    const byName: ToolInvocationRequest = { invocation_id: 'i', tool_name: 'calc', args: {} };
    const byId: ToolInvocationRequest = { invocation_id: 'i', tool_id: 'tool_calc', args: {} };
    // @ts-expect-error -- neither tool_id nor tool_name: rejected by the type as by the schema
    const neither: ToolInvocationRequest = { invocation_id: 'i', args: {} };
    expect([byName, byId, neither].map((r) => validateToolInvocationRequest(r).ok)).toEqual([
      true,
      true,
      false,
    ]);
  });
});
