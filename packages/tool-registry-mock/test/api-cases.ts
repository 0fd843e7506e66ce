// Requests that both the express server and the msw handlers must answer, with what is expected.
import {
  validateErrorEnvelope,
  validateHealth,
  validateToolDefinition,
  validateToolInvocationResult,
  validateVersionInfo,
} from '@arp-ts/sdk';
import {
  coreDomain,
  createToolRegistry,
  ToolExecutionError,
  type ToolDomain,
  type ToolRegistry,
} from '../src/index.js';

export const TEST_BODY_LIMIT = 4_096;

/** A test domain with failure modes the core tools do not have. */
export const trickyDomain: ToolDomain = {
  name: 'tricky',
  tools: [
    {
      definition: {
        tool_id: 'tool_boom',
        name: 'boom',
        input_schema: { type: 'object', additionalProperties: false, properties: {} },
        source: 'registry_local',
      },
      handler: () => {
        throw new Error('secret internals');
      },
    },
    {
      definition: {
        tool_id: 'tool_refuse',
        name: 'refuse',
        input_schema: { type: 'object', additionalProperties: false, properties: {} },
        source: 'registry_local',
      },
      handler: () => {
        throw new ToolExecutionError('Refused on purpose.', { details: { why: 'test' } });
      },
    },
    {
      definition: {
        tool_id: 'tool_slow',
        name: 'slow',
        input_schema: { type: 'object', additionalProperties: false, properties: {} },
        source: 'registry_local',
      },
      handler: (_args, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
      timeoutMs: 25,
    },
  ],
};

export function testRegistry(): ToolRegistry {
  return createToolRegistry({ domains: [coreDomain, trickyDomain] });
}

export type BodyKind = 'health' | 'version' | 'tools' | 'tool' | 'result' | 'error';

export interface ApiCase {
  name: string;
  method: string;
  path: string;
  /** JSON value to send (serialised, with Content-Type application/json), or raw text. */
  json?: unknown;
  raw?: { text: string; contentType: string };
  status: number;
  kind: BodyKind;
  /** Error code of an envelope, or of a result with ok: false. */
  code?: string;
  allow?: string;
}

const invoke = (body: unknown, status = 200, kind: BodyKind = 'result', code?: string) => ({
  method: 'POST',
  path: '/v1/tool-invocations',
  json: body,
  status,
  kind,
  code,
});

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

export const API_CASES: ApiCase[] = [
  { name: 'health', method: 'GET', path: '/v1/health', status: 200, kind: 'health' },
  {
    name: 'health with a query',
    method: 'GET',
    path: '/v1/health?probe=1',
    status: 200,
    kind: 'health',
  },
  { name: 'version', method: 'GET', path: '/v1/version', status: 200, kind: 'version' },
  { name: 'list tools', method: 'GET', path: '/v1/tools', status: 200, kind: 'tools' },
  { name: 'get tool by id', method: 'GET', path: '/v1/tools/tool_calc', status: 200, kind: 'tool' },
  {
    name: 'get tool by name',
    method: 'GET',
    path: '/v1/tools/time_now',
    status: 200,
    kind: 'tool',
  },
  {
    name: 'get unknown tool',
    method: 'GET',
    path: '/v1/tools/nope',
    status: 404,
    kind: 'error',
    code: 'tool.not_found',
  },
  {
    name: 'get tool, encoded id',
    method: 'GET',
    path: '/v1/tools/tool%5Fecho',
    status: 200,
    kind: 'tool',
  },
  {
    name: 'get tool, malformed encoding',
    method: 'GET',
    path: '/v1/tools/%E0%A4%A',
    status: 404,
    kind: 'error',
    code: 'route.not_found',
  },
  {
    name: 'invoke calc',
    ...invoke({ invocation_id: 'inv_1', tool_id: 'tool_calc', args: { expression: '(19*23)' } }),
  },
  {
    name: 'invoke echo by name',
    ...invoke({ invocation_id: 'inv_2', tool_name: 'echo', args: { text: 'hi' } }),
  },
  {
    name: 'invoke unknown tool',
    ...invoke(
      { invocation_id: 'inv_3', tool_name: 'nope', args: {} },
      200,
      'result',
      'tool.not_found',
    ),
  },
  {
    name: 'invoke with bad args',
    ...invoke(
      { invocation_id: 'inv_4', tool_name: 'echo', args: { text: 1 } },
      200,
      'result',
      'tool.invalid_args',
    ),
  },
  {
    name: 'invoke time_now, unknown zone',
    ...invoke(
      { invocation_id: 'inv_5', tool_name: 'time_now', args: { tz: 'Nowhere/Land' } },
      200,
      'result',
      'tool.invalid_args',
    ),
  },
  {
    name: 'invoke calc, syntax error',
    ...invoke(
      { invocation_id: 'inv_6', tool_name: 'calc', args: { expression: '2 +* 3' } },
      200,
      'result',
      'tool.execution_error',
    ),
  },
  {
    name: 'invoke, expected failure',
    ...invoke(
      { invocation_id: 'inv_7', tool_name: 'refuse', args: {} },
      200,
      'result',
      'tool.execution_error',
    ),
  },
  {
    name: 'invoke, unexpected throw',
    ...invoke(
      { invocation_id: 'inv_8', tool_name: 'boom', args: {} },
      200,
      'result',
      'tool.handler_error',
    ),
  },
  {
    name: 'invoke, deadline passes',
    ...invoke(
      { invocation_id: 'inv_9', tool_name: 'slow', args: {} },
      200,
      'result',
      'tool.timeout',
    ),
  },
  {
    name: 'invoke with context and extensions',
    ...invoke({
      invocation_id: 'inv_10',
      tool_name: 'echo',
      args: { text: 'c' },
      context: { run_id: 'r1' },
      extensions: { 'com.example.trace': true },
    }),
  },
  {
    name: 'invoke without invocation_id',
    ...invoke({ tool_name: 'echo', args: { text: 'x' } }, 400, 'error', 'request.invalid_shape'),
  },
  {
    name: 'invoke naming no tool',
    ...invoke({ invocation_id: 'i', args: {} }, 400, 'error', 'request.invalid_shape'),
  },
  {
    name: 'invoke with an unknown field',
    ...invoke(
      { invocation_id: 'i', tool_name: 'echo', args: {}, extra: 1 },
      400,
      'error',
      'request.invalid_shape',
    ),
  },
  {
    name: 'invoke with args not an object',
    ...invoke(
      { invocation_id: 'i', tool_name: 'echo', args: 'text' },
      400,
      'error',
      'request.invalid_shape',
    ),
  },
  { name: 'invoke with an array body', ...invoke([1, 2], 400, 'error', 'request.invalid_shape') },
  {
    name: 'invoke with a JSON string body',
    ...invoke('hello', 400, 'error', 'request.invalid_shape'),
  },
  {
    name: 'invoke with no body',
    method: 'POST',
    path: '/v1/tool-invocations',
    status: 400,
    kind: 'error',
    code: 'request.invalid_shape',
  },
  {
    name: 'invoke with invalid JSON',
    method: 'POST',
    path: '/v1/tool-invocations',
    raw: { text: '{"invocation_id": ', contentType: 'application/json' },
    status: 400,
    kind: 'error',
    code: 'request.invalid_json',
  },
  {
    name: 'invoke with a body over the limit',
    ...invoke(
      { invocation_id: 'i', tool_name: 'echo', args: { text: 'x'.repeat(TEST_BODY_LIMIT) } },
      413,
      'error',
      'request.too_large',
    ),
  },
  {
    name: 'invoke with deeply nested JSON',
    ...invoke(
      { invocation_id: 'i', tool_name: 'echo', args: { text: nested(100) } },
      400,
      'error',
      'request.invalid_shape',
    ),
  },
  {
    name: 'invoke with text/plain',
    method: 'POST',
    path: '/v1/tool-invocations',
    raw: { text: 'hello', contentType: 'text/plain' },
    status: 415,
    kind: 'error',
    code: 'request.unsupported_media_type',
  },
  {
    name: 'older route by id',
    method: 'POST',
    path: '/v1/tools/tool_calc:invoke',
    json: { invocation_id: 'inv_p1', args: { expression: '2^10' } },
    status: 200,
    kind: 'result',
  },
  {
    name: 'older route by name',
    method: 'POST',
    path: '/v1/tools/echo:invoke',
    json: { invocation_id: 'inv_p2', args: { text: 'old' }, context: {} },
    status: 200,
    kind: 'result',
  },
  {
    name: 'older route, unknown tool',
    method: 'POST',
    path: '/v1/tools/nope:invoke',
    json: { invocation_id: 'inv_p3', args: {} },
    status: 200,
    kind: 'result',
    code: 'tool.not_found',
  },
  {
    name: 'older route, bad args',
    method: 'POST',
    path: '/v1/tools/calc:invoke',
    json: { invocation_id: 'inv_p4', args: {} },
    status: 200,
    kind: 'result',
    code: 'tool.invalid_args',
  },
  {
    name: 'older route without args',
    method: 'POST',
    path: '/v1/tools/tool_calc:invoke',
    json: { invocation_id: 'inv_p5' },
    status: 400,
    kind: 'error',
    code: 'request.invalid_shape',
  },
  {
    name: 'older route with tool_id in the body',
    method: 'POST',
    path: '/v1/tools/tool_calc:invoke',
    json: { invocation_id: 'i', tool_id: 'x', args: {} },
    status: 400,
    kind: 'error',
    code: 'request.invalid_shape',
  },
  {
    name: 'older route with an empty id',
    method: 'POST',
    path: '/v1/tools/:invoke',
    json: { args: {} },
    status: 404,
    kind: 'error',
    code: 'route.not_found',
  },
  {
    name: 'older route with GET',
    method: 'GET',
    path: '/v1/tools/tool_calc:invoke',
    status: 405,
    kind: 'error',
    code: 'request.method_not_allowed',
    allow: 'POST',
  },
  {
    name: 'GET on the invocation route',
    method: 'GET',
    path: '/v1/tool-invocations',
    status: 405,
    kind: 'error',
    code: 'request.method_not_allowed',
    allow: 'POST',
  },
  {
    name: 'DELETE on the tool list',
    method: 'DELETE',
    path: '/v1/tools',
    status: 405,
    kind: 'error',
    code: 'request.method_not_allowed',
    allow: 'GET, HEAD',
  },
  {
    name: 'PUT on a tool',
    method: 'PUT',
    path: '/v1/tools/tool_calc',
    json: {},
    status: 405,
    kind: 'error',
    code: 'request.method_not_allowed',
    allow: 'GET, HEAD',
  },
  {
    name: 'POST on health',
    method: 'POST',
    path: '/v1/health',
    json: {},
    status: 405,
    kind: 'error',
    code: 'request.method_not_allowed',
    allow: 'GET, HEAD',
  },
  {
    name: 'unknown route',
    method: 'GET',
    path: '/v2/tools',
    status: 404,
    kind: 'error',
    code: 'route.not_found',
  },
  {
    name: 'trailing slash',
    method: 'GET',
    path: '/v1/tools/',
    status: 404,
    kind: 'error',
    code: 'route.not_found',
  },
  {
    name: 'nested tool path',
    method: 'GET',
    path: '/v1/tools/a/b',
    status: 404,
    kind: 'error',
    code: 'route.not_found',
  },
  { name: 'root', method: 'GET', path: '/', status: 404, kind: 'error', code: 'route.not_found' },
];

/** fetch() options for a case. */
export function requestInit(c: ApiCase, headers: Record<string, string> = {}): RequestInit {
  if (c.raw) {
    return {
      method: c.method,
      body: c.raw.text,
      headers: { 'Content-Type': c.raw.contentType, ...headers },
    };
  }
  if (c.json !== undefined) {
    return {
      method: c.method,
      body: JSON.stringify(c.json),
      headers: { 'Content-Type': 'application/json', ...headers },
    };
  }
  return { method: c.method, headers };
}

const validators: Record<BodyKind, (body: unknown) => { ok: boolean }> = {
  health: validateHealth,
  version: validateVersionInfo,
  tool: validateToolDefinition,
  tools: (body) => ({
    ok: Array.isArray(body) && body.every((t) => validateToolDefinition(t).ok),
  }),
  result: validateToolInvocationResult,
  error: validateErrorEnvelope,
};

/** True when `body` validates against the schema of specs/ for its kind. */
export function matchesSpec(kind: BodyKind, body: unknown): boolean {
  return validators[kind](body).ok;
}

/** The error code a body carries (envelope or failed result), if any. */
export function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: { code?: unknown } }).error;
  return typeof error?.code === 'string' ? error.code : undefined;
}

/** Removes what legitimately differs between two answers: timings and clock readings. */
export function normalize(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value: unknown) => {
    if (key === 'duration_ms' && typeof value === 'number') return 0;
    if (key === 'time' && typeof value === 'string') return '<time>';
    return value;
  });
}
