import type { ValidationIssue } from '@arp-ts/sdk';

// Errors are recognised by a brand rather than `instanceof`, so a domain that bundles its own
// copy of this package still gets its errors reported as intended.
const TOOL_ERROR_BRAND = Symbol.for('@arp-ts/tool-registry-mock/tool-error');

export interface ToolExecutionErrorOptions {
  details?: Record<string, unknown>;
  /** True when trying again later may succeed (e.g. an upstream service was busy). */
  retryable?: boolean;
  cause?: unknown;
}

/** Thrown by a handler for an expected failure: answered as `tool.execution_error`. */
export class ToolExecutionError extends Error {
  readonly [TOOL_ERROR_BRAND] = 'tool.execution_error' as const;
  readonly details?: Record<string, unknown>;
  readonly retryable?: boolean;

  constructor(message: string, options: ToolExecutionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolExecutionError';
    if (options.details !== undefined) this.details = options.details;
    if (options.retryable !== undefined) this.retryable = options.retryable;
  }
}

/**
 * Thrown by a handler when arguments pass the schema but are still unusable (an unknown time
 * zone): answered as `tool.invalid_args` with `details.errors`, like a schema failure.
 */
export class ToolArgumentsError extends Error {
  readonly [TOOL_ERROR_BRAND] = 'tool.invalid_args' as const;

  constructor(
    message: string,
    readonly issues: ValidationIssue[],
  ) {
    super(message);
    this.name = 'ToolArgumentsError';
  }
}

export type ToolErrorKind = 'tool.execution_error' | 'tool.invalid_args';

/** Which expected failure `err` signals, or undefined for an unexpected throw. */
export function toolErrorKind(err: unknown): ToolErrorKind | undefined {
  if (typeof err !== 'object' || err === null || !(TOOL_ERROR_BRAND in err)) return undefined;
  const kind = (err as Record<symbol, unknown>)[TOOL_ERROR_BRAND];
  return kind === 'tool.execution_error' || kind === 'tool.invalid_args' ? kind : undefined;
}
