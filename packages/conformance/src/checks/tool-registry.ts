// Every check of an ARP Tool Registry, tier by tier.
import {
  compileToolSchema,
  validateToolDefinition,
  validateToolInvocationResult,
  type ToolDefinition,
  type ToolInvocationRequest,
  type ToolInvocationResult,
} from '@arp-ts/sdk';
import type { HttpClient } from '../http.js';
import { generateArgs, generateInvalidArgs } from '../schema-args.js';
import { invalidToolInvocationRequests } from '../vectors/invalid-tool-invocation-requests.js';
import { runSmokeChecks, runUnknownRouteCheck, unknownId } from './common.js';
import {
  expectErrorEnvelope,
  expectJson,
  expectOkJson,
  expectStatus,
  expectValid,
} from './expect.js';
import { CheckFailure, fail, pass, warn, type Suite } from './suite.js';

/** Tools that are safe to invoke (the reference core domain); others may have side effects. */
const PREFERRED_TOOLS = ['echo', 'calc', 'time_now'];
/** At most this many tools are fetched one by one. */
const MAX_TOOLS_FETCHED = 20;

const toolPath = (toolId: string): string => `/v1/tools/${encodeURIComponent(toolId)}`;

function newInvocationId(): string {
  return `arp-conformance-inv-${Math.random().toString(36).slice(2, 12)}`;
}

/** Tools in the order the kit prefers to invoke them: known safe ones first. */
function byPreference(tools: readonly ToolDefinition[]): ToolDefinition[] {
  const rank = (t: ToolDefinition): number => {
    const i = PREFERRED_TOOLS.indexOf(t.name);
    return i === -1 ? PREFERRED_TOOLS.length : i;
  };
  return [...tools].sort((a, b) => rank(a) - rank(b));
}

async function invoke(
  http: HttpClient,
  request: ToolInvocationRequest,
  what: string,
): Promise<ToolInvocationResult> {
  const res = await http.send({ method: 'POST', path: '/v1/tool-invocations', body: request });
  const result = expectOkJson(res, validateToolInvocationResult, what);
  if (result.invocation_id !== request.invocation_id) {
    throw new CheckFailure(
      `${what}: invocation_id "${result.invocation_id}" differs from the request's "${request.invocation_id}"`,
    );
  }
  return result;
}

export async function runToolRegistryChecks(suite: Suite): Promise<void> {
  await runSmokeChecks(suite, 'tool_registry');
  if (!suite.includes('surface')) return;
  await runSurfaceChecks(suite);
  if (!suite.includes('core')) return;
  const tools = await runCoreChecks(suite);
  if (!suite.includes('deep')) return;
  await runDeepChecks(suite, tools);
}

async function runSurfaceChecks(suite: Suite): Promise<void> {
  await suite.run('tool_registry.surface.list_tools_route', async ({ http }) => {
    const res = await http.send({ method: 'GET', path: '/v1/tools' });
    expectStatus(res, 200, 'GET /v1/tools');
    const body = expectJson(res, 'GET /v1/tools');
    if (!Array.isArray(body)) return fail('GET /v1/tools: the body is not a JSON array');
    return pass(`${body.length} tools`);
  });

  await suite.run('tool_registry.surface.invoke_empty_body', async ({ http }) => {
    const res = await http.send({ method: 'POST', path: '/v1/tool-invocations', body: {} });
    const envelope = expectErrorEnvelope(res, '4xx', 'POST /v1/tool-invocations with {}');
    return pass(`${res.status} ${envelope.error.code}`);
  });

  await suite.run('tool_registry.surface.invoke_invalid_json', async ({ http }) => {
    const res = await http.send({ method: 'POST', path: '/v1/tool-invocations', body: '{"args":' });
    const envelope = expectErrorEnvelope(res, 400, 'POST /v1/tool-invocations with bad JSON');
    return pass(`400 ${envelope.error.code}`);
  });

  await suite.run('tool_registry.surface.get_tool_unknown', async ({ http }) => {
    const path = toolPath(unknownId('tool'));
    const res = await http.send({ method: 'GET', path });
    const envelope = expectErrorEnvelope(res, 404, `GET ${path}`);
    if (envelope.error.code === 'route.not_found') {
      return fail(`GET ${path}: 404 route.not_found, the endpoint does not exist`);
    }
    return pass(`404 ${envelope.error.code}`);
  });

  await runUnknownRouteCheck(suite, 'tool_registry');
}

async function runCoreChecks(suite: Suite): Promise<ToolDefinition[] | undefined> {
  let tools: ToolDefinition[] | undefined;
  await suite.run('tool_registry.core.list_tools', async ({ http }) => {
    const res = await http.send({ method: 'GET', path: '/v1/tools' });
    expectStatus(res, 200, 'GET /v1/tools');
    const body = expectJson(res, 'GET /v1/tools');
    if (!Array.isArray(body)) return fail('GET /v1/tools: the body is not a JSON array');
    const valid = body.map((item, i) => expectValid(validateToolDefinition, item, `tools[${i}]`));
    const ids = new Set(valid.map((t) => t.tool_id));
    const names = new Set(valid.map((t) => t.name));
    if (ids.size !== valid.length) return fail('two tools share a tool_id');
    if (names.size !== valid.length) return fail('two tools share a name');
    tools = valid;
    if (valid.length === 0)
      return warn('the registry lists no tools; invocation checks are skipped');
    return pass(`${valid.length} tools: ${valid.map((t) => t.tool_id).join(', ')}`);
  });

  const listed = tools;
  if (!listed || listed.length === 0) {
    const reason = listed ? 'the registry lists no tools' : 'needs tool_registry.core.list_tools';
    for (const id of [
      'tool_registry.core.get_tool',
      'tool_registry.core.input_schemas',
      'tool_registry.core.invoke',
      'tool_registry.core.invoke_by_name',
    ]) {
      suite.skip(id, reason);
    }
    return listed;
  }

  await suite.run('tool_registry.core.get_tool', async ({ http }) => {
    const sample = listed.slice(0, MAX_TOOLS_FETCHED);
    for (const tool of sample) {
      const path = toolPath(tool.tool_id);
      const got = expectOkJson(
        await http.send({ method: 'GET', path }),
        validateToolDefinition,
        `GET ${path}`,
      );
      if (got.tool_id !== tool.tool_id || got.name !== tool.name) {
        return fail(`GET ${path} answered tool "${got.tool_id}" (${got.name})`);
      }
    }
    return pass(`${sample.length} of ${listed.length} tools fetched by tool_id`);
  });

  await suite.run('tool_registry.core.input_schemas', () => {
    const invalid: string[] = [];
    for (const tool of listed) {
      const compiled = compileToolSchema(tool.input_schema);
      if (!compiled.ok) invalid.push(`${tool.tool_id}: ${compiled.message}`);
    }
    if (invalid.length > 0)
      return Promise.resolve(fail(`invalid input_schema: ${invalid.join('; ')}`));
    return Promise.resolve(pass(`${listed.length} input schemas compile`));
  });

  const tool = byPreference(listed)[0];
  if (!tool) return listed;
  for (const [id, by] of [
    ['tool_registry.core.invoke', 'tool_id'],
    ['tool_registry.core.invoke_by_name', 'tool_name'],
  ] as const) {
    await suite.run(id, async ({ http }) => {
      const generated = generateArgs(tool.name, tool.input_schema);
      const request: ToolInvocationRequest = {
        invocation_id: newInvocationId(),
        ...(by === 'tool_id' ? { tool_id: tool.tool_id } : { tool_name: tool.name }),
        args: generated.args,
      };
      const result = await invoke(http, request, `invoke ${tool.name} by ${by}`);
      const args = JSON.stringify(generated.args);
      if (result.ok) return pass(`${tool.name} ${args} -> ok: true`);
      const code = result.error?.code ?? 'no error code';
      if (code === 'tool.invalid_args' && generated.validAgainstSchema === true) {
        return fail(`${tool.name} refused ${args}, which validate against its input_schema`);
      }
      return warn(
        `${tool.name} ${args} -> ok: false (${code}); the generated arguments may not suit it`,
      );
    });
  }
  return listed;
}

async function runDeepChecks(suite: Suite, tools: ToolDefinition[] | undefined): Promise<void> {
  const ordered = byPreference(tools ?? []);
  const target = ordered
    .map((tool) => ({ tool, invalid: generateInvalidArgs(tool.name, tool.input_schema) }))
    .find((c) => c.invalid !== undefined);
  if (!target?.invalid) {
    suite.skip(
      'tool_registry.deep.invalid_args',
      tools
        ? 'no tool has an input_schema that the kit can break'
        : 'needs tool_registry.core.list_tools',
    );
  } else {
    const { tool, invalid } = target;
    await suite.run('tool_registry.deep.invalid_args', async ({ http }) => {
      const result = await invoke(
        http,
        { invocation_id: newInvocationId(), tool_id: tool.tool_id, args: invalid.args },
        `invoke ${tool.name} with invalid args`,
      );
      const what = `${tool.name} with ${invalid.reason}`;
      if (result.ok) {
        return invalid.confirmed
          ? fail(`${what} gave ok: true`)
          : warn(`${what} gave ok: true (the kit could not confirm the args break the schema)`);
      }
      const code = result.error?.code;
      if (code !== 'tool.invalid_args')
        return fail(`${what} gave ok: false with ${code ?? 'no code'}, expected tool.invalid_args`);
      return pass(`${what}: ok: false, tool.invalid_args`);
    });
  }

  await suite.run('tool_registry.deep.unknown_tool', async ({ http }) => {
    const missing = unknownId('tool');
    for (const by of ['tool_id', 'tool_name'] as const) {
      const result = await invoke(
        http,
        by === 'tool_id'
          ? { invocation_id: newInvocationId(), tool_id: missing, args: {} }
          : { invocation_id: newInvocationId(), tool_name: missing, args: {} },
        `invoke an unknown tool by ${by}`,
      );
      if (result.ok) return fail(`an unknown ${by} gave ok: true`);
      if (result.error?.code !== 'tool.not_found') {
        return fail(
          `an unknown ${by} gave ${result.error?.code ?? 'no code'}, expected tool.not_found`,
        );
      }
    }
    return pass('by tool_id and by tool_name: ok: false, tool.not_found');
  });

  const toolId = ordered[0]?.tool_id ?? 'tool_echo';
  for (const vector of invalidToolInvocationRequests(toolId)) {
    await suite.run(`tool_registry.deep.invalid_request.${vector.id}`, async ({ http }) => {
      const res = await http.send({
        method: 'POST',
        path: '/v1/tool-invocations',
        body: vector.body,
      });
      const envelope = expectErrorEnvelope(
        res,
        400,
        `POST /v1/tool-invocations (${vector.description})`,
      );
      return pass(`400 ${envelope.error.code}`);
    });
  }
}
