import type { ToolInvocationRequest } from '@arp-ts/sdk';

/**
 * The object shape of a ToolInvocationRequest as the registry reads it: both tool_id and
 * tool_name optional, since untyped in-process callers may send neither.
 */
export interface InvocationRequest {
  invocation_id: string;
  tool_id?: string;
  tool_name?: string;
  args: Record<string, unknown>;
  context?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Cheap structural check of an in-process request (no schema pass: callers are typed code, and
 * the HTTP layers validate the full schema first). Throws a TypeError for a malformed request,
 * which is a programming error rather than a tool failure.
 */
export function asInvocationRequest(request: ToolInvocationRequest): InvocationRequest {
  if (
    typeof request !== 'object' ||
    request === null ||
    typeof (request as { invocation_id?: unknown }).invocation_id !== 'string'
  ) {
    throw new TypeError('A ToolInvocationRequest needs a string invocation_id.');
  }
  return request as InvocationRequest;
}
