// One request and its answer over a pooled socket. The exchange is the socket's user while it
// waits: it writes the request once, feeds the parser, and settles exactly once, with the answer,
// a TimeoutError, the caller's abort reason or the connection's error. It is also its own abort
// listener and hands itself to its timer, so a call allocates no closures of its own.
import type { HttpTransportRequest, HttpTransportResponse } from '@arp-ts/sdk';
import { bodyText, isStaleSocketError } from '../http-answer.js';
import type { RequestText } from './request-head.js';
import type { SocketTarget } from './request-target.js';
import { ParseStep, ResponseParser } from './response-parser.js';
import type { PooledSocket, SocketPool, SocketUser } from './socket-pool.js';

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function connectionReset(message: string): Error {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/** The answer as the SDK reads it; header() looks fields up only when asked (errors do). */
class Http1Answer implements HttpTransportResponse {
  constructor(
    readonly status: number,
    private readonly fields: string[],
    readonly body: string,
    readonly tooLarge: boolean,
  ) {}

  header(name: string): string | undefined {
    const wanted = name.toLowerCase();
    let found: string | undefined;
    for (let i = 0; i + 1 < this.fields.length; i += 2) {
      if ((this.fields[i] as string).toLowerCase() !== wanted) continue;
      const value = this.fields[i + 1] as string;
      found = found === undefined ? value : `${found}, ${value}`;
    }
    return found;
  }
}

function onTimeout(exchange: Exchange): void {
  exchange.timedOut();
}

type Resolve = (answer: HttpTransportResponse) => void;
type Reject = (reason: unknown) => void;

export class Exchange implements SocketUser {
  private settled = false;
  private socket: PooledSocket | undefined;
  private reused = false;
  /** Some byte of an answer arrived: the request reached the server, so it is never re-sent. */
  private received = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly parser: ResponseParser;

  constructor(
    private readonly pool: SocketPool,
    private readonly target: SocketTarget,
    private readonly request: HttpTransportRequest,
    private readonly text: RequestText,
    maxHeadBytes: number,
    private readonly resolve: Resolve,
    private readonly reject: Reject,
  ) {
    this.parser = new ResponseParser({
      maxBodyBytes: request.maxResponseBytes,
      maxHeadBytes,
      headRequest: text.headRequest,
    });
  }

  /** Arms the deadline and the caller's signal, then asks the pool for a socket. */
  start(): void {
    const { timeoutMs, signal } = this.request;
    if (timeoutMs <= MAX_TIMER_MS) this.timer = setTimeout(onTimeout, Math.max(0, timeoutMs), this);
    signal?.addEventListener('abort', this);
    this.pool.acquire(this.target, this);
  }

  onSocket(socket: PooledSocket, reused: boolean): void {
    if (this.settled) {
      this.pool.release(socket); // nothing was sent on it
      return;
    }
    this.socket = socket;
    this.reused = reused;
    socket.socket.write(this.text.text);
  }

  onData(chunk: Buffer): void {
    if (this.settled) return;
    this.received = true;
    const step = this.parser.feed(chunk);
    if (step !== ParseStep.More) this.conclude(step);
  }

  onEnd(): void {
    if (this.settled) return;
    const step = this.parser.finish();
    if (step !== ParseStep.More) this.conclude(step);
    else if (this.received) this.fail(connectionReset('the connection closed mid-answer'));
    else this.fail(connectionReset('socket hang up'));
  }

  onError(err: Error): void {
    this.fail(err);
  }

  /** The caller's signal aborted (the exchange is its own listener object). */
  handleEvent(): void {
    this.stop(this.request.signal?.reason);
  }

  timedOut(): void {
    this.timer = undefined;
    this.stop(new DOMException(`no answer within ${this.request.timeoutMs} ms`, 'TimeoutError'));
  }

  /** Timeout or abort: whatever the socket was doing, it cannot carry another request. */
  private stop(reason: unknown): void {
    if (this.settled) return;
    const socket = this.settle();
    if (socket !== undefined) this.pool.discard(socket);
    else this.pool.cancelWait(this.target, this);
    this.reject(reason);
  }

  private conclude(step: ParseStep): void {
    const { parser } = this;
    const socket = this.settle();
    if (step === ParseStep.Failed) {
      if (socket !== undefined) this.pool.discard(socket);
      this.reject(parser.error);
      return;
    }
    const complete = step === ParseStep.Complete;
    if (socket !== undefined) {
      // Reused only after a clean, complete answer neither side asked to end the connection on.
      const reusable =
        complete && parser.keepAlive && parser.extraBytes === 0 && !this.text.closeConnection;
      if (reusable) this.pool.release(socket);
      else this.pool.discard(socket);
    }
    this.resolve(
      new Http1Answer(
        parser.status,
        parser.headers,
        complete ? bodyText(parser.chunks, parser.bodyBytes) : '',
        !complete,
      ),
    );
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    const socket = this.socket;
    // The keep-alive race: the server closed an idle socket just as we reused it, so the
    // request met a reset or the end before any answer. Sent once more on a fresh socket (a
    // server that died while handling it would see it twice; a fresh socket is never retried).
    if (socket !== undefined && this.reused && !this.received && isStaleSocketError(err)) {
      this.socket = undefined;
      this.pool.renew(socket, this);
      return;
    }
    this.settle();
    if (socket !== undefined) this.pool.discard(socket);
    this.reject(err);
  }

  /** Marks the call settled and stops its timer and listener; answers the socket it had. */
  private settle(): PooledSocket | undefined {
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.request.signal?.removeEventListener('abort', this);
    const { socket } = this;
    this.socket = undefined;
    return socket;
  }
}
