// Bodies of POST /v1/runs that break the ARP v1 RunRequest schema, one rule each. A conformant
// runtime answers every one of them with 400 and an ErrorEnvelope. The goal is harmless, so a
// runtime that wrongly accepts one only runs an echo.

export interface InvalidVector {
  /** Stable, becomes part of the check id. */
  id: string;
  /** The rule the body breaks. */
  description: string;
  body: unknown;
}

const goal = 'arp-conformance: this request is invalid and must be refused';

export const INVALID_RUN_REQUESTS: readonly InvalidVector[] = [
  { id: 'missing_input', description: '`input` is required', body: { metadata: { labels: {} } } },
  { id: 'missing_goal', description: '`input.goal` is required', body: { input: {} } },
  {
    id: 'goal_not_string',
    description: '`input.goal` must be a string',
    body: { input: { goal: 42 } },
  },
  {
    id: 'goal_null',
    description: '`input.goal` must not be null',
    body: { input: { goal: null } },
  },
  { id: 'input_not_object', description: '`input` must be an object', body: { input: goal } },
  { id: 'input_array', description: '`input` must not be an array', body: { input: [goal] } },
  {
    id: 'extra_property',
    description: 'RunRequest allows no unknown property',
    body: { input: { goal }, arp_conformance_unexpected: true },
  },
  {
    id: 'extra_input_property',
    description: 'RunInput allows no unknown property',
    body: { input: { goal, prompt: goal } },
  },
  {
    id: 'run_id_not_string',
    description: '`run_id` must be a string',
    body: { run_id: 12345, input: { goal } },
  },
  {
    id: 'context_not_object',
    description: '`input.context` must be an object',
    body: { input: { goal, context: 'not-an-object' } },
  },
  {
    id: 'data_not_object',
    description: '`input.data` must be an object',
    body: { input: { goal, data: [1, 2, 3] } },
  },
  {
    id: 'limits_not_object',
    description: '`limits` must be an object',
    body: { input: { goal }, limits: 5 },
  },
  {
    id: 'max_steps_zero',
    description: '`limits.max_steps` is at least 1',
    body: { input: { goal }, limits: { max_steps: 0 } },
  },
  {
    id: 'max_steps_not_integer',
    description: '`limits.max_steps` must be an integer',
    body: { input: { goal }, limits: { max_steps: 1.5 } },
  },
  {
    id: 'max_steps_string',
    description: '`limits.max_steps` must be a number, not a string',
    body: { input: { goal }, limits: { max_steps: '3' } },
  },
  {
    id: 'timeout_ms_negative',
    description: '`limits.timeout_ms` is at least 0',
    body: { input: { goal }, limits: { timeout_ms: -1 } },
  },
  {
    id: 'max_tokens_zero',
    description: '`limits.max_tokens` is at least 1',
    body: { input: { goal }, limits: { max_tokens: 0 } },
  },
  {
    id: 'limits_extra_property',
    description: 'RunLimits allows no unknown property',
    body: { input: { goal }, limits: { max_seconds: 5 } },
  },
  {
    id: 'deny_tool_ids_not_array',
    description: '`tool_policy.deny_tool_ids` must be an array',
    body: { input: { goal }, tool_policy: { deny_tool_ids: 'calc' } },
  },
  {
    id: 'allow_tool_ids_item_not_string',
    description: '`tool_policy.allow_tool_ids` items must be strings',
    body: { input: { goal }, tool_policy: { allow_tool_ids: [1] } },
  },
  {
    id: 'tool_policy_extra_property',
    description: 'ToolPolicy allows no unknown property',
    body: { input: { goal }, tool_policy: { deny: ['calc'] } },
  },
  {
    id: 'runtime_selector_extra_property',
    description: 'RuntimeSelector allows no unknown property',
    body: { input: { goal }, runtime_selector: { region: 'eu' } },
  },
  {
    id: 'metadata_label_not_string',
    description: '`metadata.labels` values must be strings',
    body: { input: { goal }, metadata: { labels: { team: 7 } } },
  },
  {
    id: 'extensions_key_without_namespace',
    description: '`extensions` keys carry a namespace prefix',
    body: { input: { goal }, extensions: { plain: true } },
  },
  { id: 'body_array', description: 'the body must be an object', body: [{ input: { goal } }] },
  { id: 'body_string', description: 'the body must be an object', body: JSON.stringify(goal) },
  { id: 'body_null', description: 'the body must be an object', body: 'null' },
];
