// Typed client of the ARP v1 Tool Registry API.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/tool-registry.js';
import type {
  Health,
  ToolDefinition,
  ToolInvocationRequest,
  ToolInvocationResult,
  VersionInfo,
} from '../types.js';
import {
  validateHealth,
  validateToolDefinition,
  validateToolInvocationResult,
  validateVersionInfo,
  type ValidationIssue,
  type Validator,
} from '../validation.js';
import { requireId } from './ids.js';
import { resolveClientOptions, type ClientOptions, type RequestOptions } from './options.js';
import { Transport } from './transport.js';

/** At most this many tools are accepted in one listing. */
export const MAX_LISTED_TOOLS = 10_000;

// GET /v1/tools answers a bare array of ToolDefinitions.
const validateToolList: Validator<ToolDefinition[]> = (value) => {
  if (!Array.isArray(value)) {
    return { ok: false, errors: [{ path: '$', message: 'must be array', keyword: 'type' }] };
  }
  if (value.length > MAX_LISTED_TOOLS) {
    return {
      ok: false,
      errors: [
        { path: '$', message: `must have at most ${MAX_LISTED_TOOLS} items`, keyword: 'maxItems' },
      ],
    };
  }
  const tools: ToolDefinition[] = [];
  for (const [index, item] of value.entries()) {
    const checked = validateToolDefinition(item);
    if (!checked.ok) {
      const errors: ValidationIssue[] = checked.errors.map((issue) => ({
        ...issue,
        path: `$[${index}]${issue.path.slice(1)}`,
      }));
      return { ok: false, errors };
    }
    tools.push(checked.value);
  }
  return { ok: true, value: tools };
};

export class ToolRegistryClient {
  private readonly transport: Transport;
  private readonly api: Client<paths>;

  constructor(options: ClientOptions) {
    this.transport = new Transport(resolveClientOptions(options));
    this.api = createClient<paths>({ baseUrl: this.transport.options.baseUrl });
  }

  async health(options?: RequestOptions): Promise<Health> {
    return this.transport.call(
      {
        operation: 'GET /v1/health',
        idempotent: true,
        payload: 'Health',
        validate: validateHealth,
        send: (init) => this.api.GET('/v1/health', init),
      },
      options,
    );
  }

  async version(options?: RequestOptions): Promise<VersionInfo> {
    return this.transport.call(
      {
        operation: 'GET /v1/version',
        idempotent: true,
        payload: 'VersionInfo',
        validate: validateVersionInfo,
        send: (init) => this.api.GET('/v1/version', init),
      },
      options,
    );
  }

  async listTools(options?: RequestOptions): Promise<ToolDefinition[]> {
    return this.transport.call(
      {
        operation: 'GET /v1/tools',
        idempotent: true,
        payload: 'list of ToolDefinition',
        validate: validateToolList,
        send: (init) => this.api.GET('/v1/tools', init),
      },
      options,
    );
  }

  /** The tool by id (registries also accept its name). Unknown: ArpApiError 404 `tool.not_found`. */
  async getTool(toolId: string, options?: RequestOptions): Promise<ToolDefinition> {
    requireId('toolId', toolId);
    return this.transport.call(
      {
        operation: 'GET /v1/tools/{tool_id}',
        idempotent: true,
        payload: 'ToolDefinition',
        validate: validateToolDefinition,
        send: (init) =>
          this.api.GET('/v1/tools/{tool_id}', { ...init, params: { path: { tool_id: toolId } } }),
      },
      options,
    );
  }

  /**
   * Invokes a tool. A tool's own failure is a resolved result with `ok: false`; only a failed
   * HTTP exchange throws. Not retried unless the connection was never established.
   */
  async invokeTool(
    request: ToolInvocationRequest,
    options?: RequestOptions,
  ): Promise<ToolInvocationResult> {
    return this.transport.call(
      {
        operation: 'POST /v1/tool-invocations',
        idempotent: false,
        payload: 'ToolInvocationResult',
        validate: validateToolInvocationResult,
        send: (init) => this.api.POST('/v1/tool-invocations', { ...init, body: request }),
      },
      options,
    );
  }
}
