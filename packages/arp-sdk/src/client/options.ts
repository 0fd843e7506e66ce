// Options shared by the SDK's HTTP clients, and their defaults.

export interface RetryOptions {
  /** Attempts in total, the first one included. Default 3; 1 turns retries off. */
  maxAttempts?: number;
  /** Backoff before the second attempt; it doubles after each further one. Default 100 ms. */
  baseDelayMs?: number;
  /** Upper bound of one backoff delay. Default 2000 ms. */
  maxDelayMs?: number;
}

export interface ClientOptions {
  /** Base URL of the service, e.g. `http://127.0.0.1:8000` (a trailing slash is fine). */
  baseUrl: string;
  /** Bearer token sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /**
   * Deadline of one call in milliseconds, retries and their backoff included. Default 30 000.
   * For an event stream it bounds the wait for the answer and any silence between chunks.
   */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** The fetch to use; default: the global fetch at call time. */
  fetch?: typeof fetch;
  /** Largest response body accepted, in bytes. Default 16 MiB. */
  maxResponseBytes?: number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs for this call. */
  timeoutMs?: number;
  /** Extra headers for this call; they win over the client's. */
  headers?: Record<string, string>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000 } as const;
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface ResolvedClientOptions {
  baseUrl: string;
  token: string | undefined;
  headers: Record<string, string>;
  timeoutMs: number;
  retry: Required<RetryOptions>;
  fetch: typeof fetch;
  maxResponseBytes: number;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative finite number, got ${value}`);
  }
  return Math.floor(value);
}

export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//i.test(options.baseUrl)) {
    throw new TypeError(`baseUrl must be an http(s) URL, got ${String(options.baseUrl)}`);
  }
  const retry = options.retry ?? {};
  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    token: options.token,
    headers: { ...options.headers },
    timeoutMs: nonNegativeInteger('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
    retry: {
      maxAttempts: Math.max(
        1,
        nonNegativeInteger('retry.maxAttempts', retry.maxAttempts, DEFAULT_RETRY.maxAttempts),
      ),
      baseDelayMs: nonNegativeInteger(
        'retry.baseDelayMs',
        retry.baseDelayMs,
        DEFAULT_RETRY.baseDelayMs,
      ),
      maxDelayMs: nonNegativeInteger(
        'retry.maxDelayMs',
        retry.maxDelayMs,
        DEFAULT_RETRY.maxDelayMs,
      ),
    },
    // Looked up per call so that fetch replaced after construction (e.g. by msw) is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    maxResponseBytes: nonNegativeInteger(
      'maxResponseBytes',
      options.maxResponseBytes,
      DEFAULT_MAX_RESPONSE_BYTES,
    ),
  };
}
