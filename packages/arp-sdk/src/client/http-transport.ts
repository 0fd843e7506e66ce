// A lean alternative to openapi-fetch + fetch for a client's JSON calls. Those build a WHATWG
// Request and Response per call (Headers, web streams, an AbortSignal of their own), which costs
// more CPU than the HTTP exchange itself. An HttpTransport takes one request as plain values and
// answers plain values; a node:http one (runtime-core's createNodeHttpTransport) costs the caller
// less than half the CPU per call. Only the wire changes: deadlines and cancellation (the signal),
// retries, the size rule, error mapping and validation stay in Transport, shared by both paths.
import type { AnswerHead } from './api-error.js';
import { ResponseTooLargeError, type Outcome, type SendInit } from './transport.js';

export interface HttpTransportRequest {
  method: string;
  /** Absolute URL; path parameters are already percent-encoded. */
  url: string;
  /** Request headers (the transport adds Host and Content-Length). */
  headers: Record<string, string>;
  /** JSON text, for requests with a body. */
  body?: string;
  /** Aborts when the caller's signal does or the call's deadline passes: stop and reject. */
  signal: AbortSignal;
  /** Read at most this many body bytes; past it, stop reading and answer `tooLarge: true`. */
  maxResponseBytes: number;
}

export interface HttpTransportResponse {
  status: number;
  /**
   * One header by name, in any case; a repeated one joined with ", ". Read only for answers
   * that are not a success (X-Request-Id, Retry-After), so it may be computed lazily.
   */
  header(name: string): string | undefined;
  /** The body decoded as UTF-8; '' when there is none. */
  body: string;
  /** The body was longer than maxResponseBytes, so it was not read to the end. */
  tooLarge?: boolean;
}

/**
 * Sends one request and resolves with the complete answer, whatever its status. Rejects only when
 * no complete answer arrived: on abort, or with an error whose `code` (or that of an error along
 * its `cause` chain) names what failed, e.g. ECONNREFUSED, so refused connections can be retried.
 */
export type HttpTransport = (request: HttpTransportRequest) => Promise<HttpTransportResponse>;

/** A transport's answer as error mapping reads it (a Response's status and headers.get). */
class TransportAnswerHead implements AnswerHead {
  readonly status: number;
  readonly headers: { get(name: string): string | null };

  constructor(answer: HttpTransportResponse) {
    this.status = answer.status;
    this.headers = { get: (name) => answer.header(name) ?? null };
  }
}

/** An error body as openapi-fetch hands it over: parsed JSON, else the text itself. */
function errorBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function hasHeader(headers: Record<string, string>, lowerCaseName: string): boolean {
  for (const name in headers) if (name.toLowerCase() === lowerCaseName) return true;
  return false;
}

/** Sends a client's attempts over an HttpTransport, answering what openapi-fetch would. */
export class HttpTransportSender {
  constructor(
    private readonly transport: HttpTransport,
    private readonly baseUrl: string,
    private readonly maxResponseBytes: number,
  ) {}

  async send(init: SendInit, method: string, path: string, json?: unknown): Promise<Outcome> {
    const limit = this.maxResponseBytes;
    const request: HttpTransportRequest = {
      method,
      url: this.baseUrl + path,
      headers: init.headers,
      signal: init.signal,
      maxResponseBytes: limit,
    };
    if (json !== undefined) {
      request.body = JSON.stringify(json);
      if (!hasHeader(init.headers, 'content-type')) {
        request.headers = { 'Content-Type': 'application/json', ...init.headers };
      }
    }
    const answer = await this.transport(request);
    const { status, body } = answer;
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      // What fetch does with such a status: no usable answer.
      throw new TypeError(`the HTTP transport answered status ${status}`);
    }
    const response = new TransportAnswerHead(answer);
    // body.length counts UTF-16 units, never more than the bytes: a backstop for a transport
    // that ignores the limit, which is the transport's to enforce exactly.
    if (answer.tooLarge === true || body.length > limit) {
      throw new ResponseTooLargeError(limit, response);
    }
    if (status < 300) return { data: body, response };
    return { error: errorBody(body), response };
  }
}
