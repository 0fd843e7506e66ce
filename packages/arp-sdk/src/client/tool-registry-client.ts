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
import { HttpTransportSender, type HttpTransport } from './http-transport.js';
import type { CallScope } from './call-scope.js';
import { requireId } from './ids.js';
import { resolveClientOptions, type ClientOptions, type RequestOptions } from './options.js';
import { Transport, type Outcome, type SendInit } from './transport.js';

export interface ToolRegistryClientOptions extends ClientOptions {
  /**
   * Sends every request of this client, instead of openapi-fetch over `fetch` (not both):
   * the lean path for hot callers (http-transport.ts). Timeouts, cancellation, retries, the
   * size limit, error mapping and validation are the same on both paths.
   */
  transport?: HttpTransport;
}

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
  private readonly direct: HttpTransportSender | undefined;

  constructor(options: ToolRegistryClientOptions) {
    if (options.transport !== undefined && options.fetch !== undefined) {
      throw new TypeError('give a ToolRegistryClient either fetch or transport, not both');
    }
    this.transport = new Transport(resolveClientOptions(options));
    const { baseUrl, maxResponseBytes } = this.transport.options;
    this.api = createClient<paths>({ baseUrl });
    this.direct =
      options.transport === undefined
        ? undefined
        : new HttpTransportSender(options.transport, baseUrl, maxResponseBytes);
  }

  /** The HttpTransport's attempt when there is one, else openapi-fetch's. */
  private sender(
    viaFetch: (init: SendInit) => Promise<Outcome>,
    method: 'GET' | 'POST',
    path: string,
    json?: unknown,
  ): (init: SendInit, scope: CallScope) => Promise<Outcome> {
    const direct = this.direct;
    return direct ? (init, scope) => direct.send(init, scope, method, path, json) : viaFetch;
  }

  async health(options?: RequestOptions): Promise<Health> {
    return this.transport.call(
      {
        operation: 'GET /v1/health',
        idempotent: true,
        payload: 'Health',
        validate: validateHealth,
        send: this.sender((init) => this.api.GET('/v1/health', init), 'GET', '/v1/health'),
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
        send: this.sender((init) => this.api.GET('/v1/version', init), 'GET', '/v1/version'),
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
        send: this.sender((init) => this.api.GET('/v1/tools', init), 'GET', '/v1/tools'),
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
        send: this.sender(
          (init) =>
            this.api.GET('/v1/tools/{tool_id}', { ...init, params: { path: { tool_id: toolId } } }),
          'GET',
          // As openapi-fetch encodes a simple-style path parameter.
          `/v1/tools/${encodeURIComponent(toolId)}`,
        ),
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
        send: this.sender(
          (init) => this.api.POST('/v1/tool-invocations', { ...init, body: request }),
          'POST',
          '/v1/tool-invocations',
          request,
        ),
      },
      options,
    );
  }
}
