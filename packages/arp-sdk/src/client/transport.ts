// The HTTP core under both clients: headers, deadlines and cancellation, bounded bodies, retries
// with backoff, and the mapping of every failure to an ArpApiError.
import type { Validator } from '../validation.js';
import { formatValidationIssues } from '../validation.js';
import { ArpApiError, RETRYABLE_STATUSES, errorFromResponse } from './api-error.js';
import type { ResolvedClientOptions, RequestOptions } from './options.js';
import { backoffDelay, parseRetryAfter, sleep } from './backoff.js';
import { CallScope } from './call-scope.js';
import { isConnectionNeverEstablished, networkErrorCode } from './network-errors.js';

/** What openapi-fetch answers: parsed data on 2xx, the parsed or raw body otherwise. */
export interface FetchOutcome {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** What each attempt hands to openapi-fetch. */
export type SendInit = {
  signal: AbortSignal;
  headers: Record<string, string>;
  fetch: (request: Request) => Promise<Response>;
};

export interface ExchangeSpec {
  /** For messages, e.g. `GET /v1/runs/{run_id}`. */
  operation: string;
  /** Safe to repeat (GET): retried on network errors and 429/502/503/504. */
  idempotent: boolean;
  send(init: SendInit): Promise<FetchOutcome>;
  /** Leaves a successful event stream unbuffered so it can be read as it arrives. */
  streaming?: boolean;
}

export interface CallSpec<T> extends ExchangeSpec {
  validate: Validator<T>;
  /** Name of the expected payload, for messages. */
  payload: string;
}

class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body is larger than ${limit} bytes`);
  }
}

// Statuses whose responses carry no body, so they cannot be rebuilt with one.
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Not awaited: some bodies (mocked ones) settle a cancel only when fully consumed.
      void reader.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(limit);
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
        throw new ResponseTooLargeError(limit);
      }
      const bytes = await readAtMost(response.body, limit);
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
      return new ArpApiError({
        status: 0,
        code: 'client.invalid_response',
        message: `${operation}: ${thrown.message}`,
        details: { limit_bytes: thrown.limit },
        retryable: false,
        cause: thrown,
      });
    }
    if (thrown instanceof SyntaxError) {
      return new ArpApiError({
        status: 0,
        code: 'client.invalid_response',
        message: `${operation}: the response body is not valid JSON`,
        retryable: false,
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
  async exchange(spec: ExchangeSpec, scope: CallScope, headers: Record<string, string>) {
    const { maxAttempts } = this.options.retry;
    const fetch = this.boundedFetch(spec.streaming === true);
    for (let attempt = 1; ; attempt++) {
      let failure: ArpApiError;
      let mayRetry: boolean;
      let retryAfterMs: number | undefined;
      try {
        scope.throwIfAborted();
        const outcome = await spec.send({ signal: scope.signal, headers, fetch });
        if (outcome.response.ok) return outcome;
        failure = errorFromResponse(spec.operation, outcome.response, outcome.error);
        mayRetry = spec.idempotent && RETRYABLE_STATUSES.has(outcome.response.status);
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
      const checked = spec.validate(data);
      if (checked.ok) return checked.value;
      const requestId = response.headers.get('x-request-id') ?? undefined;
      throw new ArpApiError({
        status: response.status,
        code: 'client.invalid_response',
        message: `${spec.operation}: the response is not a valid ${spec.payload}: ${formatValidationIssues(checked.errors)}`,
        details: { issues: checked.errors },
        ...(requestId !== undefined ? { requestId } : {}),
        retryable: false,
      });
    } finally {
      scope.dispose();
    }
  }
}
