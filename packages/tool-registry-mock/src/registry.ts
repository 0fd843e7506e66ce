import {
  arpError,
  compileToolSchema,
  type ArpError,
  type ValidationIssue,
  type Validator,
  type ToolDefinition,
  type ToolInvocationRequest,
  type ToolInvocationResult,
} from '@arp-ts/sdk';
import { clip } from './clip.js';
import { coreDomain } from './domains/core.js';
import { assertToolDomain, DomainError } from './domains/validate-domain.js';
import { asInvocationRequest, type InvocationRequest } from './invocation-request.js';
import { runHandler, type InvocationFailureReporter } from './invoke.js';
import type { Clock, ToolDomain, ToolImplementation } from './types.js';

export const DEFAULT_TOOL_TIMEOUT_MS = 10_000;

export interface ToolRegistryOptions {
  /** Enabled domains (default: [coreDomain]). Tool ids and names must be unique across them. */
  domains?: readonly ToolDomain[];
  /** Clock handed to tools (time_now); default Date.now. */
  clock?: Clock;
  /** Deadline of tools that declare no timeoutMs of their own. */
  defaultTimeoutMs?: number;
  /** Told about unexpected handler throws, which callers only see as a generic message. */
  onHandlerError?: InvocationFailureReporter;
}

export interface InvokeToolOptions {
  signal?: AbortSignal;
  /** Overrides the registry's onHandlerError for this call (the HTTP server logs with it). */
  onHandlerError?: InvocationFailureReporter;
}

export interface DomainSummary {
  name: string;
  toolIds: readonly string[];
}

/**
 * An in-process ARP Tool Registry. Satisfies runtime-core's ToolRegistryPort structurally.
 * A tool's failure resolves with `ok: false`; the promise rejects only when `signal` aborts
 * (with the signal's reason, like fetch).
 */
export interface ToolRegistry {
  /** Names of the enabled domains, in order. */
  readonly domains: readonly string[];
  describeDomains(): DomainSummary[];
  listTools(options?: { signal?: AbortSignal }): Promise<ToolDefinition[]>;
  /** By tool_id or name; undefined when unknown. Definitions are frozen. */
  getTool(
    toolIdOrName: string,
    options?: { signal?: AbortSignal },
  ): Promise<ToolDefinition | undefined>;
  /** Synchronous getTool, for callers that need no promise. */
  findTool(toolIdOrName: string): ToolDefinition | undefined;
  invokeTool(
    request: ToolInvocationRequest,
    options?: InvokeToolOptions,
  ): Promise<ToolInvocationResult>;
}

/** One tool, prepared once: frozen definition, compiled validators. */
export interface RegisteredTool {
  readonly definition: ToolDefinition;
  readonly domain: string;
  readonly handler: ToolImplementation['handler'];
  readonly timeoutMs: number;
  readonly validateArgs: (args: unknown) => ArpError | undefined;
  readonly validateOutput: (output: unknown) => ArpError | undefined;
}

const systemClock: Clock = { now: () => Date.now() };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

type SchemaCheck = Validator<Record<string, unknown>>;

// Compiled once per schema text by the SDK, so building many registries from the same domains
// (tests, servers) costs no recompilation.
function compileSchema(schema: Record<string, unknown>, what: string): SchemaCheck {
  const compiled = compileToolSchema(schema);
  if (!compiled.ok)
    throw new DomainError(`${what} is not a usable JSON Schema: ${compiled.message}`);
  return compiled.validate;
}

function issuesOf(check: SchemaCheck, value: unknown): ValidationIssue[] | undefined {
  const checked = check(value);
  return checked.ok ? undefined : checked.errors;
}

function prepareTool(
  domain: string,
  tool: ToolImplementation,
  defaultTimeoutMs: number,
): RegisteredTool {
  const definition = deepFreeze(structuredClone(tool.definition));
  const label = `Tool '${definition.name}' (${definition.tool_id}) of domain '${domain}'`;
  const args = compileSchema(definition.input_schema, `The input_schema of ${label}`);
  const output = definition.output_schema
    ? compileSchema(definition.output_schema, `The output_schema of ${label}`)
    : undefined;
  const name = definition.name;
  return {
    definition,
    domain,
    handler: tool.handler,
    timeoutMs: tool.timeoutMs ?? defaultTimeoutMs,
    validateArgs: (value) => {
      const errors = issuesOf(args, value);
      return errors
        ? arpError('tool.invalid_args', `The arguments do not match the input schema of ${name}.`, {
            details: { errors },
          })
        : undefined;
    },
    validateOutput: (value) => {
      const errors = output ? issuesOf(output, value) : undefined;
      return errors
        ? arpError(
            'tool.handler_error',
            `Tool ${name} returned a result that breaks its output schema.`,
            {
              details: { errors },
            },
          )
        : undefined;
    },
  };
}

/** Builds the registry; throws a DomainError on a malformed domain or a clash of ids or names. */
export function createToolRegistry(options: ToolRegistryOptions = {}): ToolRegistry {
  const domains = options.domains ?? [coreDomain];
  const clock = options.clock ?? systemClock;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const byId = new Map<string, RegisteredTool>();
  const byName = new Map<string, RegisteredTool>();
  const summaries: DomainSummary[] = [];
  const domainNames = new Set<string>();

  if (!Number.isFinite(defaultTimeoutMs) || defaultTimeoutMs <= 0) {
    throw new RangeError('defaultTimeoutMs must be a positive number of milliseconds.');
  }
  for (const [index, candidate] of domains.entries()) {
    const name: unknown = (candidate as { name?: unknown } | null)?.name;
    const label = typeof name === 'string' ? `Domain '${name}'` : `Domain #${index + 1}`;
    const domain = assertToolDomain(candidate, label);
    if (domainNames.has(domain.name)) {
      throw new DomainError(`Domain '${domain.name}' is enabled more than once.`);
    }
    domainNames.add(domain.name);
    const toolIds: string[] = [];
    for (const impl of domain.tools) {
      const tool = prepareTool(domain.name, impl, defaultTimeoutMs);
      const { tool_id: id, name } = tool.definition;
      const clash = byId.get(id) ?? byName.get(id) ?? byId.get(name) ?? byName.get(name);
      if (clash) {
        throw new DomainError(
          `Tool '${name}' (${id}) of domain '${domain.name}' clashes with tool '${clash.definition.name}' ` +
            `(${clash.definition.tool_id}) of domain '${clash.domain}': tool ids and names must be unique across domains.`,
        );
      }
      byId.set(id, tool);
      byName.set(name, tool);
      toolIds.push(id);
    }
    summaries.push({ name: domain.name, toolIds: Object.freeze(toolIds) });
  }

  const all = [...byId.values()].map((t) => t.definition);
  const lookup = (idOrName: string): RegisteredTool | undefined =>
    byId.get(idOrName) ?? byName.get(idOrName);

  return {
    domains: Object.freeze([...domainNames]),
    describeDomains: () => summaries.map((s) => ({ ...s })),
    listTools: () => Promise.resolve(all.slice()),
    getTool: (idOrName) => Promise.resolve(lookup(idOrName)?.definition),
    findTool: (idOrName) => lookup(idOrName)?.definition,
    invokeTool(input, callOptions = {}) {
      const signal = callOptions.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      let request: InvocationRequest;
      try {
        request = asInvocationRequest(input);
      } catch (err) {
        return Promise.reject(err);
      }
      const tool = resolveTool(request, byId, byName);
      if (!('definition' in tool)) return Promise.resolve(failed(request, tool, 0));
      return runHandler(tool, request, {
        clock,
        signal,
        onHandlerError: callOptions.onHandlerError ?? options.onHandlerError,
      });
    },
  };
}

function failed(
  request: InvocationRequest,
  error: ArpError,
  durationMs: number,
): ToolInvocationResult {
  return { invocation_id: request.invocation_id, ok: false, error, duration_ms: durationMs };
}

/** Finds the tool a request names; tool_id wins, and a contradicting tool_name is refused. */
function resolveTool(
  request: InvocationRequest,
  byId: ReadonlyMap<string, RegisteredTool>,
  byName: ReadonlyMap<string, RegisteredTool>,
): RegisteredTool | ArpError {
  const { tool_id: id, tool_name: name } = request;
  if (typeof id === 'string') {
    const tool = byId.get(id);
    if (!tool) return arpError('tool.not_found', `No tool with tool_id '${clip(id)}'.`);
    if (typeof name === 'string' && name !== tool.definition.name) {
      return arpError(
        'tool.not_found',
        `tool_id '${clip(id)}' and tool_name '${clip(name)}' name different tools.`,
      );
    }
    return tool;
  }
  if (typeof name === 'string') {
    return byName.get(name) ?? arpError('tool.not_found', `No tool named '${clip(name)}'.`);
  }
  return arpError('tool.not_found', 'The request names no tool: set tool_id or tool_name.');
}
