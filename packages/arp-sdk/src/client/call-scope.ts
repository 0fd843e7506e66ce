// One signal for one call: it aborts when the caller's signal does or when the call's timer
// runs out, and remembers which of the two happened so the error can say so.

export class CallScope {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = () => this.abort();
  abortedByCaller = false;
  timedOut = false;

  constructor(
    private readonly callerSignal: AbortSignal | undefined,
    readonly timeoutMs: number,
  ) {
    if (callerSignal?.aborted) this.abortedByCaller = true;
    if (callerSignal) {
      if (callerSignal.aborted) this.controller.abort(callerSignal.reason);
      else callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** (Re)starts the timer: a deadline for a call, an idle limit for a stream. */
  arm(ms: number = this.timeoutMs): void {
    this.disarm();
    if (this.controller.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
    }, ms);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Aborts on behalf of the caller (their signal fired, or they stopped listening). */
  abort(): void {
    if (this.controller.signal.aborted) return;
    this.abortedByCaller = true;
    this.disarm();
    this.controller.abort(this.callerSignal?.reason ?? new DOMException('aborted', 'AbortError'));
  }

  throwIfAborted(): void {
    this.controller.signal.throwIfAborted();
  }

  /** Stops the timer and the link to the caller's signal. */
  dispose(): void {
    this.disarm();
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }
}
