// Every check the kit can report, with its stable id. The runner refuses ids that are not listed
// here, so this file is the complete, documented list (the README's table is made from it).
import type { Target, Tier } from './types.js';
import { INVALID_RUN_REQUESTS } from './vectors/invalid-run-requests.js';
import { INVALID_TOOL_INVOCATION_REQUEST_IDS } from './vectors/invalid-tool-invocation-requests.js';

export interface CheckInfo {
  id: string;
  target: Target;
  tier: Tier;
  name: string;
}

type Entry = [id: string, tier: Tier, name: string];

const RUNTIME: Entry[] = [
  ['runtime.smoke.health', 'smoke', 'GET /v1/health answers 200 with a valid Health'],
  ['runtime.smoke.version', 'smoke', 'GET /v1/version answers 200 with a valid VersionInfo'],
  ['runtime.smoke.api_version_v1', 'smoke', 'supported_api_versions contains "v1"'],
  [
    'runtime.surface.create_run_empty_body',
    'surface',
    'POST /v1/runs with {} is refused with a 4xx ErrorEnvelope',
  ],
  [
    'runtime.surface.create_run_invalid_json',
    'surface',
    'POST /v1/runs with unparseable JSON is refused with a 400 ErrorEnvelope',
  ],
  ['runtime.surface.get_run_unknown', 'surface', 'GET /v1/runs/{unknown} is a 404 ErrorEnvelope'],
  [
    'runtime.surface.get_result_unknown',
    'surface',
    'GET /v1/runs/{unknown}/result is a 404 ErrorEnvelope',
  ],
  ['runtime.surface.unknown_route', 'surface', 'an unknown route is a 404 (ErrorEnvelope)'],
  [
    'runtime.core.create_run',
    'core',
    'POST /v1/runs accepts a RunRequest and echoes the client run_id in a valid RunStatus',
  ],
  [
    'runtime.core.poll_status',
    'core',
    'GET /v1/runs/{run_id} reaches a terminal state, every answer a valid RunStatus',
  ],
  [
    'runtime.core.get_result',
    'core',
    'GET /v1/runs/{run_id}/result gives a valid RunResult that matches the state',
  ],
  [
    'runtime.core.assigned_run_id',
    'core',
    'a RunRequest without run_id gets a run_id assigned by the runtime',
  ],
  ...INVALID_RUN_REQUESTS.map((v): Entry => [
    `runtime.deep.invalid_run_request.${v.id}`,
    'deep',
    `invalid RunRequest (${v.description}) is refused with 400`,
  ]),
  ['runtime.deep.duplicate_run_id', 'deep', 'a run_id that already exists is refused (409)'],
  [
    'runtime.deep.events.replay',
    'deep',
    "a finished run's event stream: valid RunEvents, gap-free seq, one terminal event, then the end",
  ],
  [
    'runtime.deep.events.unknown_run',
    'deep',
    'GET /v1/runs/{unknown}/events is a 404 ErrorEnvelope',
  ],
  ['runtime.deep.events.resume', 'deep', 'Last-Event-ID resumes the stream right after that seq'],
  [
    'runtime.deep.events.live',
    'deep',
    'following a new run live: valid RunEvents, gap-free seq, one terminal event',
  ],
  [
    'runtime.deep.limits.max_steps',
    'deep',
    'limits.max_steps is honoured: no run executes more steps than allowed',
  ],
  [
    'runtime.deep.tool_policy.deny',
    'deep',
    'tool_policy.deny_tool_ids is honoured: a denied tool is never invoked',
  ],
  ['runtime.deep.cancel.terminal_run', 'deep', 'cancelling a finished run is a 409 ErrorEnvelope'],
  ['runtime.deep.cancel.unknown_run', 'deep', 'cancelling an unknown run is a 404 ErrorEnvelope'],
  ['runtime.deep.cancel.active_run', 'deep', 'cancelling a new run ends it canceled (or 409)'],
  ['runtime.deep.cancel.repeat', 'deep', 'cancelling a canceled run again returns its status'],
];

const TOOL_REGISTRY: Entry[] = [
  ['tool_registry.smoke.health', 'smoke', 'GET /v1/health answers 200 with a valid Health'],
  ['tool_registry.smoke.version', 'smoke', 'GET /v1/version answers 200 with a valid VersionInfo'],
  ['tool_registry.smoke.api_version_v1', 'smoke', 'supported_api_versions contains "v1"'],
  ['tool_registry.surface.list_tools_route', 'surface', 'GET /v1/tools answers 200 with an array'],
  [
    'tool_registry.surface.invoke_empty_body',
    'surface',
    'POST /v1/tool-invocations with {} is refused with a 4xx ErrorEnvelope',
  ],
  [
    'tool_registry.surface.invoke_invalid_json',
    'surface',
    'POST /v1/tool-invocations with unparseable JSON is refused with a 400 ErrorEnvelope',
  ],
  [
    'tool_registry.surface.get_tool_unknown',
    'surface',
    'GET /v1/tools/{unknown} is a 404 ErrorEnvelope',
  ],
  ['tool_registry.surface.unknown_route', 'surface', 'an unknown route is a 404 (ErrorEnvelope)'],
  [
    'tool_registry.core.list_tools',
    'core',
    'GET /v1/tools lists valid ToolDefinitions with unique tool_ids and names',
  ],
  [
    'tool_registry.core.get_tool',
    'core',
    'GET /v1/tools/{tool_id} gives the listed definition for each tool',
  ],
  [
    'tool_registry.core.input_schemas',
    'core',
    "every tool's input_schema compiles as JSON Schema 2020-12",
  ],
  [
    'tool_registry.core.invoke',
    'core',
    'invoking a tool by tool_id with arguments made from its input_schema gives a valid result',
  ],
  [
    'tool_registry.core.invoke_by_name',
    'core',
    'invoking a tool by tool_name gives a valid result',
  ],
  [
    'tool_registry.deep.invalid_args',
    'deep',
    'arguments that break the input_schema give 200, ok: false, tool.invalid_args',
  ],
  [
    'tool_registry.deep.unknown_tool',
    'deep',
    'an unknown tool gives 200, ok: false, tool.not_found',
  ],
  ...INVALID_TOOL_INVOCATION_REQUEST_IDS.map((id): Entry => [
    `tool_registry.deep.invalid_request.${id}`,
    'deep',
    `invalid ToolInvocationRequest (${id.replace(/_/g, ' ')}) is refused with 400`,
  ]),
];

export const CHECKS: readonly CheckInfo[] = [
  ...RUNTIME.map(([id, tier, name]): CheckInfo => ({ id, target: 'runtime', tier, name })),
  ...TOOL_REGISTRY.map(([id, tier, name]): CheckInfo => ({
    id,
    target: 'tool-registry',
    tier,
    name,
  })),
];

const byId = new Map(CHECKS.map((c) => [c.id, c]));

export function checkInfo(id: string): CheckInfo {
  const info = byId.get(id);
  if (!info) throw new Error(`unknown check id ${id}`);
  return info;
}

/** The checks a run of `target` at `tier` reports, in report order. */
export function checksFor(target: Target, tier: Tier, tiers: readonly Tier[]): CheckInfo[] {
  const depth = tiers.indexOf(tier);
  return CHECKS.filter((c) => c.target === target && tiers.indexOf(c.tier) <= depth);
}
