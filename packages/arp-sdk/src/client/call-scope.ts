// One call's deadline and cancellation: it stops when the caller's signal aborts or when the
// call's timer runs out, and remembers which of the two happened so the error can say so. Its
// AbortSignal is made only when something asks for it (fetch does, an HttpTransport does not):
// a fresh AbortSignal with a listener costs more CPU than the rest of a call's bookkeeping.

export class CallScope {
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private deadline = 0;
  private readonly onCallerAbort = () => this.abort();
  private stopped = false;
  private reason: unknown;
  abortedByCaller = false;
  timedOut = false;

  constructor(
    /** The caller's own signal, for what listens to it directly rather than to `signal`. */
    readonly callerSignal: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    if (callerSignal) {
      if (callerSignal.aborted) this.stop(callerSignal.reason, true);
      else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    this.arm();
  }

  /** Aborts once the call stops, with the reason it stopped. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.stopped) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Time left until the timer runs out, in ms (0 once it has). */
  remainingMs(): number {
    return Math.max(0, Math.ceil(this.deadline - performance.now()));
  }

  /** (Re)starts the timer: a deadline for a call, an idle limit for a stream. */
  arm(ms: number = this.timeoutMs): void {
    this.disarm();
    if (this.stopped) return;
    this.deadline = performance.now() + ms;
    this.timer = setTimeout(() => this.expire(), ms);
  }

  /** The time is up: the timer says so, or a transport whose own timer fired first. */
  expire(): void {
    if (this.stopped) return;
    this.disarm();
    this.timedOut = true;
    this.stop(new DOMException(`timed out after ${this.timeoutMs} ms`, 'TimeoutError'), false);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Aborts on behalf of the caller (their signal fired, or they stopped listening). */
  abort(): void {
    if (this.stopped) return;
    this.disarm();
    this.stop(this.callerSignal?.reason ?? new DOMException('aborted', 'AbortError'), true);
  }

  throwIfAborted(): void {
    if (this.stopped) throw this.reason;
  }

  /** Stops the timer and the link to the caller's signal. */
  dispose(): void {
    this.disarm();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private stop(reason: unknown, byCaller: boolean): void {
    this.stopped = true;
    this.reason = reason;
    if (byCaller) this.abortedByCaller = true;
    this.controller?.abort(reason);
  }
}
