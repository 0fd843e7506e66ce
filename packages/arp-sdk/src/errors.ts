import type { ErrorCode } from './error-codes.js';
import type { ArpError, ErrorEnvelope } from './types.js';

export interface ErrorOptions {
  details?: Record<string, unknown>;
  retryable?: boolean;
  cause?: { code?: string; message: string; details?: Record<string, unknown> };
}

/** Builds an ARP Error object. Codes are the stable dotted ones of ERROR_CODES. */
export function arpError(code: ErrorCode, message: string, options: ErrorOptions = {}): ArpError {
  const error: ArpError = { code, message };
  if (options.details !== undefined) error.details = options.details;
  if (options.retryable !== undefined) error.retryable = options.retryable;
  if (options.cause !== undefined) error.cause = options.cause;
  return error;
}

/** Builds the body of an error response: `{ "error": { code, message, details? } }`. */
export function errorEnvelope(
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
  options: Omit<ErrorOptions, 'details'> = {},
): ErrorEnvelope {
  return { error: arpError(code, message, { ...options, ...(details ? { details } : {}) }) };
}
