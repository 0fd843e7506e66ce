// A lean alternative to openapi-fetch + fetch for a client's JSON calls. Those build a WHATWG
// Request and Response per call (Headers, web streams, an AbortSignal of their own), which costs
// more CPU than the HTTP exchange itself. An HttpTransport takes one request as plain values and
// answers plain values; a node:http one (runtime-core's createNodeHttpTransport) costs the caller
// about a third of the CPU per call. Only the wire changes: the deadline and cancellation
// (CallScope), retries, the size rule, error mapping and validation stay in Transport, shared by
// both paths.
import type { AnswerHead } from './api-error.js';
import type { CallScope } from './call-scope.js';
import { ResponseTooLargeError, type Outcome, type SendInit } from './transport.js';

export interface HttpTransportRequest {
  method: string;
  /** Absolute URL; path parameters are already percent-encoded. */
  url: string;
  /** Request headers (the transport adds Host and Content-Length). */
  headers: Record<string, string>;
  /** JSON text, for requests with a body. */
  body?: string;
  /** The caller's own signal, when they gave one: once it aborts, stop and reject. */
  signal?: AbortSignal;
  /**
   * What is left of the call's deadline, in ms: past it, stop and reject with an error named
   * 'TimeoutError' (e.g. `new DOMException(message, 'TimeoutError')`).
   */
  timeoutMs: number;
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
 * no complete answer arrived: on the caller's abort, past `timeoutMs`, or with an error whose
 * `code` (or that of an error along its `cause` chain) names what failed, e.g. ECONNREFUSED, so
 * refused connections can be retried. The deadline comes as a number and the caller's signal as
 * is, because a fresh AbortSignal per call (with its listeners) costs more CPU than all else the
 * client does.
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

function isTimeoutError(thrown: unknown): boolean {
  return (thrown as { name?: unknown } | null)?.name === 'TimeoutError';
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

  async send(
    init: SendInit,
    scope: CallScope,
    method: string,
    path: string,
    json?: unknown,
  ): Promise<Outcome> {
    const limit = this.maxResponseBytes;
    const request: HttpTransportRequest = {
      method,
      url: this.baseUrl + path,
      headers: init.headers,
      timeoutMs: scope.remainingMs(),
      maxResponseBytes: limit,
    };
    if (scope.callerSignal !== undefined) request.signal = scope.callerSignal;
    if (json !== undefined) {
      request.body = JSON.stringify(json);
      if (!hasHeader(init.headers, 'content-type')) {
        request.headers = { 'Content-Type': 'application/json', ...init.headers };
      }
    }
    let answer: HttpTransportResponse;
    try {
      answer = await this.transport(request);
    } catch (thrown) {
      // The transport's timer may fire just before the scope's: the same deadline either way.
      if (isTimeoutError(thrown) && !scope.abortedByCaller) scope.expire();
      throw thrown;
    }
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
