// Tool registry calls with the run's stop signal and bounded retries. Look-ups are idempotent and
// retried with backoff; invocations are not (the tool may have run), so one failure ends the run.
import type { ToolDefinition, ToolInvocationResult } from '@arp-ts/sdk';
import { codeOf, FlowFailure, messageOf } from './failure.js';
import type { RunContext } from './run-context.js';
import { sleep as defaultSleep } from './defaults.js';

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BASE_DELAY_MS = 50;
const DEFAULT_MAX_DELAY_MS = 500;

function unavailable(operation: string, attempts: number, err: unknown): FlowFailure {
  const cause: { message: string; code?: string } = { message: messageOf(err) };
  const code = codeOf(err);
  if (code !== undefined) cause.code = code;
  return new FlowFailure({
    code: 'tool_registry.unavailable',
    message: `the tool registry did not answer ${operation} (${attempts} attempt${attempts === 1 ? '' : 's'}): ${cause.message}`,
    retryable: true,
    details: { operation, attempts },
    cause,
  });
}

async function withRetries<T>(
  ctx: RunContext,
  operation: string,
  call: () => Promise<T>,
): Promise<T> {
  const options = ctx.deps.registryRetry;
  const attempts = Math.max(1, options?.attempts ?? DEFAULT_ATTEMPTS);
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.guard(call());
    } catch (err) {
      if (err instanceof FlowFailure) throw err;
      ctx.checkStopped();
      if (attempt >= attempts) throw unavailable(operation, attempt, err);
      const base = options?.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
      const delay = Math.min(
        options?.maxDelayMs ?? DEFAULT_MAX_DELAY_MS,
        base * 2 ** (attempt - 1),
      );
      ctx.emitTrace('tool_registry_retry', 'warn', {
        operation,
        attempt,
        delay_ms: delay,
        error: messageOf(err),
      });
      await (options?.sleep ?? defaultSleep)(delay, ctx.signal);
      ctx.checkStopped();
    }
  }
}

export function getTool(
  ctx: RunContext,
  toolIdOrName: string,
): Promise<ToolDefinition | undefined> {
  const registry = ctx.registry;
  const signal = ctx.signal;
  return withRetries(ctx, `getTool(${toolIdOrName})`, () =>
    registry.getTool(toolIdOrName, signal ? { signal } : undefined),
  );
}

export function listTools(ctx: RunContext): Promise<ToolDefinition[]> {
  const registry = ctx.registry;
  const signal = ctx.signal;
  return withRetries(ctx, 'listTools', () => registry.listTools(signal ? { signal } : undefined));
}

/** The invocation the engine sends (the SDK's generated ToolInvocationRequest type is too loose). */
export interface EngineInvocation {
  invocation_id: string;
  tool_id: string;
  args: Record<string, unknown>;
}

export async function invokeTool(
  ctx: RunContext,
  request: EngineInvocation,
): Promise<ToolInvocationResult> {
  const signal = ctx.signal;
  let result: ToolInvocationResult;
  try {
    result = await ctx.guard(ctx.registry.invokeTool(request, signal ? { signal } : undefined));
  } catch (err) {
    if (err instanceof FlowFailure) throw err;
    ctx.checkStopped();
    throw unavailable(`invokeTool(${request.tool_id})`, 1, err);
  }
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    throw new FlowFailure({
      code: 'tool_registry.error',
      message: 'the tool registry answered an invocation without a boolean `ok`',
    });
  }
  return result;
}
