import { errorEnvelope, type ErrorCode, type ErrorEnvelope } from '@arp-ts/sdk';
import type { Response } from 'express';

/** An error that maps to an ErrorEnvelope answer; throw it from a handler or pass it to next(). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  /** The response body: `{ error: { code, message, details? } }`. */
  toEnvelope(): ErrorEnvelope {
    return errorEnvelope(this.code, this.message, this.details);
  }
}

/** Sends an ErrorEnvelope with the given status. */
export function sendError(
  res: Response,
  status: number,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
  headers?: Record<string, string>,
): void {
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(status).json(errorEnvelope(code, message, details));
}
