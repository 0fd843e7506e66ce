// The one error type the SDK's clients throw for failed calls, whether the server answered with
// an ErrorEnvelope or no usable answer arrived at all.
import { validateErrorEnvelope } from '../validation.js';

/** Codes of failures that happen on the client side, with no (usable) HTTP answer. */
export type ClientErrorCode =
  'client.network_error' | 'client.timeout' | 'client.aborted' | 'client.invalid_response';

export interface ArpApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  requestId?: string;
  retryable: boolean;
  cause?: unknown;
}

/**
 * What error mapping reads of an answer: its status and headers. A fetch Response is one; so is
 * the answer of an HttpTransport once wrapped (http-transport.ts).
 */
export interface AnswerHead {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

/** HTTP statuses that say "try again later" without the request having taken effect. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export class ArpApiError extends Error {
  /** HTTP status; 0 when no HTTP answer was received. */
  readonly status: number;
  /** The envelope's code, or one of the `client.*` codes. */
  readonly code: string;
  readonly details?: Record<string, unknown>;
  /** The server's X-Request-Id, when it sent one. */
  readonly requestId?: string;
  /** Whether the same request may succeed when tried again later. */
  readonly retryable: boolean;

  constructor(init: ArpApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ArpApiError';
    this.status = init.status;
    this.code = init.code;
    if (init.details !== undefined) this.details = init.details;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    this.retryable = init.retryable;
  }
}

export function isArpApiError(value: unknown): value is ArpApiError {
  return value instanceof ArpApiError;
}

/** At most this much of an unexpected body is quoted in an error's details. */
const BODY_EXCERPT_CHARS = 200;

export function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  return text.length > BODY_EXCERPT_CHARS ? `${text.slice(0, BODY_EXCERPT_CHARS)}…` : text;
}

/**
 * Turns a non-2xx answer into an ArpApiError. A body that is a valid ErrorEnvelope gives the
 * code, message and details; anything else is reported as `client.invalid_response` while
 * keeping the HTTP status (and its retryability) so callers can still branch on it.
 */
export function errorFromResponse(
  operation: string,
  response: AnswerHead,
  body: unknown,
): ArpApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const envelope = validateErrorEnvelope(body);
  if (envelope.ok) {
    const { error } = envelope.value;
    return new ArpApiError({
      status: response.status,
      code: error.code,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      retryable: error.retryable ?? RETRYABLE_STATUSES.has(response.status),
    });
  }
  return new ArpApiError({
    status: response.status,
    code: 'client.invalid_response',
    message: `${operation}: HTTP ${response.status} without an ARP ErrorEnvelope`,
    details: { body: excerpt(body ?? '') },
    ...(requestId !== undefined ? { requestId } : {}),
    retryable: RETRYABLE_STATUSES.has(response.status),
  });
}

/** An HTTP answer that arrived but is not what the API promises (`client.invalid_response`). */
export function invalidResponse(
  operation: string,
  response: AnswerHead,
  problem: string,
  extra: { details?: Record<string, unknown>; cause?: unknown } = {},
): ArpApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return new ArpApiError({
    status: response.status,
    code: 'client.invalid_response',
    message: `${operation}: ${problem}`,
    ...(extra.details !== undefined ? { details: extra.details } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
    retryable: false,
    ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
  });
}
