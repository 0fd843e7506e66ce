// The stable dotted error codes used across this implementation. Clients branch on these, so a
// code is never renamed; new ones may be added.
export const ERROR_CODES = [
  // Requests that cannot be served as sent.
  'request.invalid_json',
  'request.invalid_shape',
  'request.invalid_run_id',
  'request.invalid_query',
  'request.invalid_path',
  'request.too_large',
  'request.method_not_allowed',
  'request.unsupported_media_type',
  'route.not_found',
  // Authentication and authorisation.
  'auth.unauthorized',
  'auth.forbidden',
  // Runs.
  'run.not_found',
  'run.already_exists',
  'run.not_finished',
  'run.already_terminal',
  'run.canceled',
  // Limits and policy of a run.
  'limits.max_steps_exceeded',
  'limits.timeout',
  'limits.max_tokens_exceeded',
  'policy.tool_denied',
  // Planning and model calls.
  'planner.failed',
  'planner.invalid_plan',
  'model.error',
  'model.unavailable',
  'model.config_missing',
  // Tools and the tool registry.
  'tool.not_found',
  'tool.invalid_args',
  'tool.execution_error',
  'tool.handler_error',
  'tool.timeout',
  'tool_registry.unavailable',
  'tool_registry.error',
  // The runtime service itself.
  'runtime.overloaded',
  'runtime.shutting_down',
  'runtime.interrupted',
  'runtime.shard_unavailable',
  'runtime.internal_error',
  // Client-side failures of the SDK.
  'client.timeout',
  'client.network_error',
  'client.invalid_response',
  'client.aborted',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const known = new Set<string>(ERROR_CODES);

export function isKnownErrorCode(code: string): code is ErrorCode {
  return known.has(code);
}
