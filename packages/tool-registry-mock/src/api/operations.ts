import {
  createAjv,
  errorEnvelope,
  fromAjvFunction,
  validateToolInvocationRequest,
  type Health,
  type ToolInvocationRequest,
  type VersionInfo,
} from '@arp-ts/sdk';
import { clip } from '../clip.js';
import type { InvocationFailureReporter } from '../invoke.js';
import type { ToolRegistry } from '../registry.js';
import type { ApiRoute } from './routes.js';
import type { ServiceInfo } from './service-info.js';

/** A transport-neutral answer: the express app and the msw handlers both send exactly this. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

export interface ApiCallContext {
  /** Aborted when the client goes away; an aborted invocation rejects. */
  signal?: AbortSignal;
  onHandlerError?: InvocationFailureReporter;
}

export interface RegistryApi {
  handle(route: ApiRoute, body: unknown, ctx?: ApiCallContext): Promise<ApiResponse>;
}

/** Body of the older `POST /v1/tools/{tool_id}:invoke` route (inline schema of the OpenAPI doc). */
interface InvokeByPathBody {
  invocation_id?: string;
  args: Record<string, unknown>;
  context?: Record<string, unknown>;
}

const validateInvokeByPathBody = fromAjvFunction<InvokeByPathBody>(
  createAjv().compile({
    type: 'object',
    additionalProperties: false,
    required: ['args'],
    properties: {
      invocation_id: { type: 'string' },
      args: { type: 'object', additionalProperties: true },
      context: { type: 'object', additionalProperties: true },
    },
  }),
);

/** The Tool Registry API over a registry: one implementation for every transport. */
export function createRegistryApi(registry: ToolRegistry, service: ServiceInfo): RegistryApi {
  const version: VersionInfo = {
    service_name: service.name,
    service_version: service.version,
    supported_api_versions: ['v1'],
  };

  const health = (): Health => ({
    status: 'ok',
    time: new Date().toISOString(),
    checks: registry.describeDomains().map((d) => ({
      name: `domain:${d.name}`,
      status: 'ok',
      message: `${d.toolIds.length} tool${d.toolIds.length === 1 ? '' : 's'} loaded`,
      details: { tool_count: d.toolIds.length, tool_ids: [...d.toolIds] },
    })),
  });

  const invoke = async (
    request: ToolInvocationRequest,
    ctx: ApiCallContext,
  ): Promise<ApiResponse> => {
    const options = { signal: ctx.signal, onHandlerError: ctx.onHandlerError };
    return { status: 200, body: await registry.invokeTool(request, options) };
  };

  return {
    async handle(route, body, ctx = {}) {
      switch (route.name) {
        case 'health':
          return { status: 200, body: health() };
        case 'version':
          return { status: 200, body: version };
        case 'list_tools':
          return { status: 200, body: await registry.listTools() };
        case 'get_tool': {
          const tool = registry.findTool(route.toolId);
          if (tool) return { status: 200, body: tool };
          return {
            status: 404,
            body: errorEnvelope(
              'tool.not_found',
              `No tool with id or name '${clip(route.toolId)}'.`,
            ),
          };
        }
        case 'invoke_tool': {
          const checked = validateToolInvocationRequest(body);
          if (!checked.ok) {
            return {
              status: 400,
              body: errorEnvelope(
                'request.invalid_shape',
                'The body is not a valid ToolInvocationRequest.',
                { errors: checked.errors },
              ),
            };
          }
          return invoke(checked.value, ctx);
        }
        case 'invoke_tool_by_path': {
          const checked = validateInvokeByPathBody(body);
          if (!checked.ok) {
            return {
              status: 400,
              body: errorEnvelope(
                'request.invalid_shape',
                'The body is not a valid tool invocation (`args` object, optional `invocation_id` and `context`).',
                { errors: checked.errors },
              ),
            };
          }
          const { invocation_id, args, context } = checked.value;
          // The path may name the tool by id or by name; an unknown one is answered by the registry.
          const toolId = registry.findTool(route.toolId)?.tool_id ?? route.toolId;
          const request: ToolInvocationRequest = {
            invocation_id: invocation_id ?? `inv_${globalThis.crypto.randomUUID()}`,
            tool_id: toolId,
            args,
            ...(context ? { context } : {}),
          };
          return invoke(request, ctx);
        }
      }
    },
  };
}
