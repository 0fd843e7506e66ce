// The HTTP core under both clients: headers, deadlines and cancellation, bounded bodies, retries
// with backoff, and the mapping of every failure to an ArpApiError.
import type { Validator } from '../validation.js';
import { formatValidationIssues } from '../validation.js';
import {
  ArpApiError,
  RETRYABLE_STATUSES,
  errorFromResponse,
  excerpt,
  invalidResponse,
  type AnswerHead,
} from './api-error.js';
import type { ResolvedClientOptions, RequestOptions } from './options.js';
import { backoffDelay, parseRetryAfter, sleep } from './backoff.js';
import { CallScope } from './call-scope.js';
import { isConnectionNeverEstablished, networkErrorCode } from './network-errors.js';

/**
 * What one attempt answers: the body on 2xx (`data`), the parsed or raw body otherwise
 * (`error`), and the answer's status and headers.
 */
export interface Outcome {
  data?: unknown;
  error?: unknown;
  response: AnswerHead;
}

/** What openapi-fetch answers: an Outcome holding the fetch Response itself. */
export interface FetchOutcome extends Outcome {
  response: Response;
}

/** What each attempt hands to openapi-fetch. */
export type SendInit = {
  signal: AbortSignal;
  headers: Record<string, string>;
  fetch: (request: Request) => Promise<Response>;
  /** Bodies arrive as text and are parsed here, so a bad one is reported with its status. */
  parseAs: 'text';
};

export interface ExchangeSpec<O extends Outcome = FetchOutcome> {
  /** For messages, e.g. `GET /v1/runs/{run_id}`. */
  operation: string;
  /** Safe to repeat (GET): retried on network errors and 429/502/503/504. */
  idempotent: boolean;
  /** One attempt; `init.signal` is made on first use, so a sender that uses `scope` saves it. */
  send(init: SendInit, scope: CallScope): Promise<O>;
  /** Leaves a successful event stream unbuffered so it can be read as it arrives. */
  streaming?: boolean;
}

export interface CallSpec<T> extends ExchangeSpec<Outcome> {
  validate: Validator<T>;
  /** Name of the expected payload, for messages. */
  payload: string;
}

/** An answer whose body is longer than maxResponseBytes; reported as `client.invalid_response`. */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly limit: number,
    readonly response: AnswerHead,
  ) {
    super(`response body is larger than ${limit} bytes`);
  }
}

// Statuses whose responses carry no body, so they cannot be rebuilt with one.
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

async function readAtMost(response: Response, limit: number): Promise<Uint8Array> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Not awaited: some bodies (mocked ones) settle a cancel only when fully consumed.
      void reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit, response);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
}

export class Transport {
  constructor(readonly options: ResolvedClientOptions) {}

  /** Headers of one call: defaults, then the client's, then the call's own. */
  headers(
    request: RequestOptions | undefined,
    accept = 'application/json',
  ): Record<string, string> {
    const headers: Record<string, string> = { Accept: accept };
    if (this.options.token !== undefined) headers.Authorization = `Bearer ${this.options.token}`;
    Object.assign(headers, this.options.headers, request?.headers);
    return headers;
  }

  /**
   * A fetch that reads the whole body up front, refusing more than maxResponseBytes, so that
   * no answer can grow without bound; a successful event stream passes through unread.
   */
  private boundedFetch(streaming: boolean): (request: Request) => Promise<Response> {
    const limit = this.options.maxResponseBytes;
    return async (request) => {
      const response = await this.options.fetch(request);
      if (response.body === null || NULL_BODY_STATUSES.has(response.status)) return response;
      if (streaming && response.ok && isEventStream(response)) return response;
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > limit) {
        void response.body.cancel().catch(() => undefined);
        throw new ResponseTooLargeError(limit, response);
      }
      const bytes = await readAtMost(response, limit);
      return new Response(bytes, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }

  /** Maps anything thrown during an attempt to an ArpApiError. */
  classify(operation: string, thrown: unknown, scope: CallScope): ArpApiError {
    if (thrown instanceof ArpApiError) return thrown;
    if (scope.abortedByCaller) {
      return new ArpApiError({
        status: 0,
        code: 'client.aborted',
        message: `${operation}: aborted by the caller`,
        retryable: false,
        cause: thrown,
      });
    }
    if (scope.timedOut) {
      return new ArpApiError({
        status: 0,
        code: 'client.timeout',
        message: `${operation}: no answer within ${scope.timeoutMs} ms`,
        details: { timeout_ms: scope.timeoutMs },
        retryable: true,
        cause: thrown,
      });
    }
    if (thrown instanceof ResponseTooLargeError) {
      return invalidResponse(operation, thrown.response, thrown.message, {
        details: { limit_bytes: thrown.limit },
        cause: thrown,
      });
    }
    const cause = networkErrorCode(thrown);
    return new ArpApiError({
      status: 0,
      code: 'client.network_error',
      message: `${operation}: ${thrown instanceof Error ? thrown.message : String(thrown)}${cause ? ` (${cause})` : ''}`,
      ...(cause ? { details: { cause } } : {}),
      retryable: true,
      cause: thrown,
    });
  }

  /**
   * Sends one request, retrying as allowed, and answers the first 2xx outcome. Every failure is
   * thrown as an ArpApiError. The scope's signal bounds every attempt and every backoff.
   */
  async exchange<O extends Outcome>(
    spec: ExchangeSpec<O>,
    scope: CallScope,
    headers: Record<string, string>,
  ): Promise<O> {
    const { maxAttempts } = this.options.retry;
    const fetch = this.boundedFetch(spec.streaming === true);
    for (let attempt = 1; ; attempt++) {
      let failure: ArpApiError;
      let mayRetry: boolean;
      let retryAfterMs: number | undefined;
      try {
        scope.throwIfAborted();
        const init: SendInit = {
          get signal() {
            return scope.signal;
          },
          headers,
          fetch,
          parseAs: 'text',
        };
        const outcome = await spec.send(init, scope);
        const { status } = outcome.response;
        if (status >= 200 && status < 300) return outcome;
        failure = errorFromResponse(spec.operation, outcome.response, outcome.error);
        mayRetry = spec.idempotent && RETRYABLE_STATUSES.has(status);
        retryAfterMs = parseRetryAfter(outcome.response.headers.get('retry-after'));
      } catch (thrown) {
        failure = this.classify(spec.operation, thrown, scope);
        mayRetry =
          failure.code === 'client.network_error' &&
          (spec.idempotent || isConnectionNeverEstablished(thrown));
      }
      if (!mayRetry || attempt >= maxAttempts) throw failure;
      // A server asking for a longer pause than we are willing to wait gets the error back.
      if (retryAfterMs !== undefined && retryAfterMs > this.options.retry.maxDelayMs) throw failure;
      const delay = Math.max(backoffDelay(attempt, this.options.retry), retryAfterMs ?? 0);
      try {
        await sleep(delay, scope.signal);
      } catch (thrown) {
        throw this.classify(spec.operation, thrown, scope);
      }
    }
  }

  /** One JSON call: exchange, then validate the 2xx body against the expected payload. */
  async call<T>(spec: CallSpec<T>, request: RequestOptions | undefined, timeoutMs?: number) {
    const scope = new CallScope(
      request?.signal,
      timeoutMs ?? request?.timeoutMs ?? this.options.timeoutMs,
    );
    try {
      const { data, response } = await this.exchange(spec, scope, this.headers(request));
      if (typeof data !== 'string' || data.length === 0) {
        throw invalidResponse(spec.operation, response, `expected a ${spec.payload}, got no body`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch (thrown) {
        throw invalidResponse(spec.operation, response, 'the response body is not valid JSON', {
          details: { body: excerpt(data) },
          cause: thrown,
        });
      }
      const checked = spec.validate(parsed);
      if (checked.ok) return checked.value;
      throw invalidResponse(
        spec.operation,
        response,
        `the response is not a valid ${spec.payload}: ${formatValidationIssues(checked.errors)}`,
        { details: { issues: checked.errors } },
      );
    } finally {
      scope.dispose();
    }
  }
}
