// Reads a run's event stream (GET /v1/runs/{run_id}/events) to its end, bounded in time and size,
// and records the exchange like every other request of the kit.
import {
  buildRequestInit,
  describeFetchError,
  headersToRecord,
  joinUrl,
  MAX_RESPONSE_BYTES,
  MAX_RECORDED_BODY_CHARS,
  NetworkError,
  redactHeaders,
  truncate,
  type HttpClient,
  type HttpResponse,
} from './http.js';
import { SseParser, type SseMessage } from '@arp-ts/sdk';
import type { HttpExchange } from './types.js';

/** Longest line or event data the kit accepts from a stream. */
export const MAX_SSE_EVENT_CHARS = 1024 * 1024;
/** At most this many messages are kept from one stream. */
export const MAX_STREAM_MESSAGES = 10_000;

export interface StreamReadOptions {
  lastEventId?: string;
  /** The whole read, from the request to the end of the stream. */
  totalTimeoutMs: number;
  /** After the terminal message, how long to wait for the server to close the stream. */
  closeGraceMs: number;
  isTerminal: (message: SseMessage) => boolean;
}

export type StreamEnd = 'closed' | 'timeout' | 'too_large';

export interface StreamReadResult {
  status: number;
  contentType: string;
  /** The body as received (cut to the recording limit). */
  text: string;
  /** For a non-200 answer: its parsed JSON body, when it was JSON. */
  json?: unknown;
  messages: SseMessage[];
  /** Index of the first terminal message in `messages`, or -1. */
  terminalIndex: number;
  /** How reading ended: the server closed the stream, time ran out, or the stream was too big. */
  end: StreamEnd;
  /** A protocol problem while parsing (e.g. an over-long line). */
  parseError?: string;
  exchange: HttpExchange;
}

export async function readEventStream(
  http: HttpClient,
  path: string,
  options: StreamReadOptions,
): Promise<StreamReadResult> {
  const url = joinUrl(http.baseUrl, path);
  const extra: Record<string, string> = { accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) extra['last-event-id'] = options.lastEventId;
  const { headers } = buildRequestInit({ method: 'GET', path, headers: extra }, http.headersFor());
  const exchange: HttpExchange = {
    request: { method: 'GET', url, headers: redactHeaders(headers) },
    durationMs: 0,
  };
  const started = performance.now();
  const controller = new AbortController();
  let timedOut = false;
  let timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.totalTimeoutMs);
  const finish = (): void => {
    clearTimeout(timer);
    exchange.durationMs = Math.round(performance.now() - started);
    http.recordExchange(exchange);
  };

  let response: Response;
  try {
    response = await http.fetchImpl(url, { method: 'GET', headers, signal: controller.signal });
  } catch (err) {
    exchange.error = describeFetchError(err, options.totalTimeoutMs);
    finish();
    throw new NetworkError(`GET ${path}: ${exchange.error}`, exchange);
  }

  const contentType = response.headers.get('content-type') ?? '';
  const raw: string[] = [];
  let rawChars = 0;
  const messages: SseMessage[] = [];
  let terminalIndex = -1;
  let end: StreamEnd = 'closed';
  let parseError: string | undefined;
  const parser = new SseParser({ maxEventChars: MAX_SSE_EVENT_CHARS });
  const decoder = new TextDecoder();
  const reader = response.body?.getReader();
  let bytes = 0;

  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_RESPONSE_BYTES * 8) {
        end = 'too_large';
        break;
      }
      const text = decoder.decode(value, { stream: true });
      if (rawChars < MAX_RECORDED_BODY_CHARS) raw.push(text);
      rawChars += text.length;
      if (response.status !== 200) continue;
      let parsed: SseMessage[];
      try {
        parsed = parser.push(text);
      } catch (err) {
        parseError = (err as Error).message;
        break;
      }
      for (const message of parsed) {
        if (messages.length >= MAX_STREAM_MESSAGES) {
          end = 'too_large';
          break;
        }
        messages.push(message);
        if (terminalIndex === -1 && options.isTerminal(message)) {
          terminalIndex = messages.length - 1;
          // The stream should end right after the terminal event; give it a short grace.
          clearTimeout(timer);
          timer = setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, options.closeGraceMs);
        }
      }
      if (end === 'too_large') break;
    }
  } catch (err) {
    if (!timedOut) {
      exchange.error = describeFetchError(err, options.totalTimeoutMs);
      finish();
      throw new NetworkError(`GET ${path}: ${exchange.error}`, exchange);
    }
    end = 'timeout';
  } finally {
    await reader?.cancel().catch(() => undefined);
  }

  const body = raw.join('');
  exchange.response = {
    status: response.status,
    headers: headersToRecord(response.headers),
    body: truncate(body),
    truncated: rawChars > MAX_RECORDED_BODY_CHARS,
  };
  finish();

  let json: unknown;
  if (response.status !== 200) {
    try {
      json = JSON.parse(body) as unknown;
    } catch {
      json = undefined;
    }
  }
  return {
    status: response.status,
    contentType,
    text: body,
    ...(json !== undefined ? { json } : {}),
    messages,
    terminalIndex,
    end,
    ...(parseError !== undefined ? { parseError } : {}),
    exchange,
  };
}

/** A non-200 stream answer seen as an ordinary HTTP answer, for the error-envelope assertions. */
export function streamAnswerAsResponse(read: StreamReadResult): HttpResponse {
  return {
    status: read.status,
    headers: new Headers(read.exchange.response?.headers ?? {}),
    contentType: read.contentType,
    text: read.text,
    json: read.json,
    ...(read.json === undefined ? { jsonError: 'not JSON' } : {}),
    exchange: read.exchange,
  };
}
