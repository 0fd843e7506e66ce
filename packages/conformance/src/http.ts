// A small HTTP helper over plain fetch that records every exchange for the report. The kit must
// work against any ARP service, so it uses no client of ours that could hide a service's mistakes
// (no retries, no parsing beyond JSON).
import type { HttpExchange } from './types.js';

/** Bodies in reports are cut to this many characters. */
export const MAX_RECORDED_BODY_CHARS = 4_000;
/** A response body larger than this is not read further (a conformant answer is far smaller). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

/** Raised when no HTTP answer arrived; the check that sent the request fails with it. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly exchange: HttpExchange,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, e.g. `/v1/health`. */
  path: string;
  /** An object is sent as JSON; a string is sent as is (to test invalid JSON). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  /** The parsed body when it is JSON; undefined otherwise (see jsonError). */
  json: unknown;
  jsonError?: string;
  exchange: HttpExchange;
}

export interface HttpClientOptions {
  baseUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  fetch: typeof fetch;
  /** Receives every exchange (the check in progress collects them). */
  record: (exchange: HttpExchange) => void;
}

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(key.toLowerCase())) {
      out[key] = value;
      continue;
    }
    // Keep the scheme so a reader sees which kind of credential went out.
    const scheme = /^(\w+)\s/.exec(value)?.[1];
    out[key] = scheme ? `${scheme} <redacted>` : '<redacted>';
  }
  return out;
}

export function truncate(text: string, max = MAX_RECORDED_BODY_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}... [${text.length - max} more chars]`;
}

export function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/** Joins a base URL and a path without doubling or losing slashes. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

export function describeFetchError(err: unknown, timeoutMs: number): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return `no answer within ${timeoutMs} ms`;
    }
    const cause = (err as Error & { cause?: unknown }).cause;
    const causeText =
      cause instanceof Error
        ? ((cause as Error & { code?: string }).code ?? cause.message)
        : undefined;
    return causeText ? `${err.message} (${causeText})` : err.message;
  }
  return String(err);
}

/** Reads at most `limit` bytes of a body; the rest is dropped and the stream cancelled. */
async function readBounded(
  response: Response,
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => undefined);
      return { text: text + decoder.decode(), truncated: true };
    }
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), truncated: false };
}

export function buildRequestInit(
  request: HttpRequest,
  baseHeaders: Record<string, string>,
): { headers: Record<string, string>; body: string | undefined } {
  const headers: Record<string, string> = { accept: 'application/json', ...baseHeaders };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] = 'application/json';
  }
  return { headers: { ...headers, ...request.headers }, body };
}

export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** Base headers plus the request's own, for streaming requests made elsewhere. */
  headersFor(extra: Record<string, string> = {}): Record<string, string> {
    return { ...this.options.headers, ...extra };
  }

  get fetchImpl(): typeof fetch {
    return this.options.fetch;
  }

  recordExchange(exchange: HttpExchange): void {
    this.options.record(exchange);
  }

  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = joinUrl(this.options.baseUrl, request.path);
    const { headers, body } = buildRequestInit(request, this.options.headers);
    const exchange: HttpExchange = {
      request: {
        method: request.method,
        url,
        headers: redactHeaders(headers),
        ...(body !== undefined ? { body: truncate(body) } : {}),
      },
      durationMs: 0,
    };
    const started = performance.now();
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    let read: { text: string; truncated: boolean };
    try {
      response = await this.options.fetch(url, { method: request.method, headers, body, signal });
      read = await readBounded(response, MAX_RESPONSE_BYTES);
    } catch (err) {
      exchange.error = describeFetchError(err, this.options.timeoutMs);
      exchange.durationMs = Math.round(performance.now() - started);
      this.options.record(exchange);
      throw new NetworkError(`${request.method} ${request.path}: ${exchange.error}`, exchange);
    }
    exchange.durationMs = Math.round(performance.now() - started);
    exchange.response = {
      status: response.status,
      headers: headersToRecord(response.headers),
      body: truncate(read.text),
      truncated: read.truncated || read.text.length > MAX_RECORDED_BODY_CHARS,
    };
    this.options.record(exchange);
    const contentType = response.headers.get('content-type') ?? '';
    const parsed = parseJsonBody(read.text, read.truncated);
    return {
      status: response.status,
      headers: response.headers,
      contentType,
      text: read.text,
      json: parsed.value,
      ...(parsed.error !== undefined ? { jsonError: parsed.error } : {}),
      exchange,
    };
  }
}

function parseJsonBody(text: string, truncated: boolean): { value: unknown; error?: string } {
  if (truncated) return { value: undefined, error: `body over ${MAX_RESPONSE_BYTES} bytes` };
  if (text.length === 0) return { value: undefined, error: 'empty body' };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { value: undefined, error: `not JSON (${(err as Error).message})` };
  }
}
