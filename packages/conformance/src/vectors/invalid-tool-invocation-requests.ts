// Bodies of POST /v1/tool-invocations that break the ARP v1 ToolInvocationRequest schema, one rule
// each. A conformant registry answers 400 with an ErrorEnvelope: these are not tool failures
// (`ok: false`), the request itself is malformed. `toolId` names a real tool so that only the
// broken rule stands between the request and an invocation.
import type { InvalidVector } from './invalid-run-requests.js';

export const INVALID_TOOL_INVOCATION_REQUEST_IDS = [
  'missing_invocation_id',
  'missing_args',
  'missing_tool_reference',
  'args_not_object',
  'args_array',
  'invocation_id_not_string',
  'tool_id_not_string',
  'extra_property',
  'context_not_object',
  'caller_missing_id',
  'body_array',
  'body_string',
  'body_null',
] as const;

export type InvalidToolInvocationRequestId = (typeof INVALID_TOOL_INVOCATION_REQUEST_IDS)[number];

/** A string body is sent verbatim (it is raw JSON text); anything else is sent as JSON. */
export function invalidToolInvocationRequests(toolId: string): InvalidVector[] {
  const invocation_id = 'arp-conformance-invalid-request';
  const bodies: Record<InvalidToolInvocationRequestId, { description: string; body: unknown }> = {
    missing_invocation_id: {
      description: '`invocation_id` is required',
      body: { tool_id: toolId, args: {} },
    },
    missing_args: { description: '`args` is required', body: { invocation_id, tool_id: toolId } },
    missing_tool_reference: {
      description: 'one of `tool_id` or `tool_name` is required',
      body: { invocation_id, args: {} },
    },
    args_not_object: {
      description: '`args` must be an object',
      body: { invocation_id, tool_id: toolId, args: 'text' },
    },
    args_array: {
      description: '`args` must not be an array',
      body: { invocation_id, tool_id: toolId, args: [] },
    },
    invocation_id_not_string: {
      description: '`invocation_id` must be a string',
      body: { invocation_id: 42, tool_id: toolId, args: {} },
    },
    tool_id_not_string: {
      description: '`tool_id` must be a string',
      body: { invocation_id, tool_id: 42, args: {} },
    },
    extra_property: {
      description: 'ToolInvocationRequest allows no unknown property',
      body: { invocation_id, tool_id: toolId, args: {}, arp_conformance_unexpected: true },
    },
    context_not_object: {
      description: '`context` must be an object',
      body: { invocation_id, tool_id: toolId, args: {}, context: 'text' },
    },
    caller_missing_id: {
      description: '`caller` is a ResourceRef, which requires `id`',
      body: { invocation_id, tool_id: toolId, args: {}, caller: { type: 'runtime' } },
    },
    body_array: {
      description: 'the body must be an object',
      body: [{ invocation_id, tool_id: toolId, args: {} }],
    },
    body_string: { description: 'the body must be an object', body: JSON.stringify(toolId) },
    body_null: { description: 'the body must be an object', body: 'null' },
  };
  return INVALID_TOOL_INVOCATION_REQUEST_IDS.map((id) => ({ id, ...bodies[id] }));
}
