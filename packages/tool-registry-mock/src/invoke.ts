import { arpError, type ArpError, type ToolInvocationResult } from '@arp-ts/sdk';
import type { InvocationRequest } from './invocation-request.js';
import { isRecord } from './is-record.js';
import type { RegisteredTool } from './registry.js';
import { toolErrorKind, type ToolArgumentsError, type ToolExecutionError } from './tool-errors.js';
import type { Clock, ToolHandlerContext } from './types.js';

export interface InvocationInfo {
  toolId: string;
  toolName: string;
  invocationId: string;
}

/** Receives what a handler threw unexpectedly (callers only get a generic message). */
export type InvocationFailureReporter = (error: unknown, info: InvocationInfo) => void;

export interface RunHandlerOptions {
  clock: Clock;
  signal?: AbortSignal;
  onHandlerError?: InvocationFailureReporter;
}

/**
 * The context handed to a handler. Its AbortSignal is created only when the handler reads it:
 * creating a signal costs microseconds, more than a whole echo or calc invocation, and most
 * synchronous tools never look at it.
 */
class HandlerContext implements ToolHandlerContext {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  constructor(
    readonly invocationId: string,
    readonly clock: Clock,
  ) {}

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

// Messages of expected failures are passed through; bound them so a handler cannot bloat answers.
const MAX_MESSAGE_LENGTH = 2_000;

/**
 * Validates the arguments, runs the handler and turns whatever happens into a
 * ToolInvocationResult. Synchronous handlers are answered without timers or extra promises;
 * asynchronous ones race their deadline and the caller's signal.
 */
export function runHandler(
  tool: RegisteredTool,
  request: InvocationRequest,
  options: RunHandlerOptions,
): Promise<ToolInvocationResult> {
  const started = performance.now();
  const argsError = tool.validateArgs(request.args);
  if (argsError) return Promise.resolve(failure(request, argsError, started));

  const ctx = new HandlerContext(request.invocation_id, options.clock);
  let output: unknown;
  try {
    output = tool.handler(request.args, ctx);
  } catch (err) {
    return Promise.resolve(failure(request, errorFromThrow(err, tool, request, options), started));
  }
  if (!isPromiseLike(output)) return Promise.resolve(settle(output, tool, request, started));

  const pending = output;
  const callerSignal = options.signal;
  return new Promise<ToolInvocationResult>((resolve, reject) => {
    let done = false;
    const finish = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      return true;
    };
    const onCallerAbort = (): void => {
      if (!finish()) return;
      ctx.abort(callerSignal?.reason);
      reject(callerSignal?.reason);
    };
    const timer = setTimeout(() => {
      if (!finish()) return;
      ctx.abort(new DOMException('The tool deadline passed.', 'TimeoutError'));
      const error = arpError(
        'tool.timeout',
        `Tool ${tool.definition.name} did not finish within ${tool.timeoutMs} ms.`,
        { details: { timeout_ms: tool.timeoutMs }, retryable: true },
      );
      resolve(failure(request, error, started));
    }, tool.timeoutMs);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    pending.then(
      (value) => {
        if (finish()) resolve(settle(value, tool, request, started));
      },
      (err: unknown) => {
        if (finish()) {
          resolve(failure(request, errorFromThrow(err, tool, request, options), started));
        }
      },
    );
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function elapsed(started: number): number {
  return Math.max(0, Math.round(performance.now() - started));
}

function failure(
  request: InvocationRequest,
  error: ArpError,
  started: number,
): ToolInvocationResult {
  return {
    invocation_id: request.invocation_id,
    ok: false,
    error,
    duration_ms: elapsed(started),
  };
}

function settle(
  output: unknown,
  tool: RegisteredTool,
  request: InvocationRequest,
  started: number,
): ToolInvocationResult {
  if (!isRecord(output)) {
    const got = output === null ? 'null' : Array.isArray(output) ? 'an array' : typeof output;
    const error = arpError(
      'tool.handler_error',
      `Tool ${tool.definition.name} returned ${got} instead of an object.`,
    );
    return failure(request, error, started);
  }
  const outputError = tool.validateOutput(output);
  if (outputError) return failure(request, outputError, started);
  return {
    invocation_id: request.invocation_id,
    ok: true,
    result: output,
    duration_ms: elapsed(started),
  };
}

function clipMessage(message: unknown): string {
  const text = typeof message === 'string' && message !== '' ? message : 'The tool failed.';
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}...` : text;
}

function errorFromThrow(
  err: unknown,
  tool: RegisteredTool,
  request: InvocationRequest,
  options: RunHandlerOptions,
): ArpError {
  switch (toolErrorKind(err)) {
    case 'tool.execution_error': {
      const e = err as ToolExecutionError;
      return arpError('tool.execution_error', clipMessage(e.message), {
        ...(isRecord(e.details) ? { details: e.details } : {}),
        ...(typeof e.retryable === 'boolean' ? { retryable: e.retryable } : {}),
      });
    }
    case 'tool.invalid_args': {
      const e = err as ToolArgumentsError;
      return arpError('tool.invalid_args', clipMessage(e.message), {
        details: { errors: Array.isArray(e.issues) ? e.issues : [] },
      });
    }
    default: {
      const { tool_id: toolId, name: toolName } = tool.definition;
      try {
        options.onHandlerError?.(err, { toolId, toolName, invocationId: request.invocation_id });
      } catch {
        // A failing reporter must not turn a tool failure into a registry failure.
      }
      // The thrown error may carry internals (paths, stack, secrets): never echo it.
      return arpError('tool.handler_error', `Tool ${toolName} failed with an unexpected error.`);
    }
  }
}
