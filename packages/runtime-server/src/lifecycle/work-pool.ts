// A bounded worker pool in front of a bounded FIFO queue. Admission is decided up front (reserve)
// so a request learns it is refused before anything is written for it.

export interface WorkPoolOptions<T> {
  maxConcurrent: number;
  maxQueued: number;
  /** Runs one item; the pool starts the next queued item when the promise settles. */
  work: (item: T) => Promise<void>;
  /** Told when a work promise rejects (work should not reject). */
  onError?: (err: unknown, item: T) => void;
}

export class WorkPool<T> {
  private readonly queue = new Set<T>(); // insertion order = FIFO; O(1) removal for cancel
  private readonly active = new Set<Promise<void>>();
  private reserved = 0;
  private paused = false;

  constructor(private readonly options: WorkPoolOptions<T>) {}

  get running(): number {
    return this.active.size;
  }

  get queued(): number {
    return this.queue.size;
  }

  get maxQueued(): number {
    return this.options.maxQueued;
  }

  /** Claims room for one item; false when pool and queue are full. Pair with add() or release(). */
  reserve(): boolean {
    const free = this.options.maxConcurrent - this.active.size;
    const waiting = this.queue.size + this.reserved;
    if (waiting - free >= this.options.maxQueued) return false;
    this.reserved += 1;
    return true;
  }

  release(): void {
    if (this.reserved > 0) this.reserved -= 1;
  }

  /** Adds an item whose room was reserved. */
  add(item: T): void {
    this.release();
    this.enqueue(item);
  }

  /** Adds an item regardless of limits (runs recovered on start must not be lost). */
  enqueue(item: T): void {
    this.queue.add(item);
    this.pump();
  }

  /** Removes a queued item that has not started; false when it is not (or no longer) queued. */
  remove(item: T): boolean {
    return this.queue.delete(item);
  }

  /** Stops starting queued items (shutdown); running ones go on. */
  pause(): void {
    this.paused = true;
  }

  /** Resolves when no item is running. */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  private start(item: T): Promise<void> {
    try {
      return this.options.work(item);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  private pump(): void {
    while (!this.paused && this.active.size < this.options.maxConcurrent) {
      const next = this.queue.values().next();
      if (next.done) return;
      const item = next.value;
      this.queue.delete(item);
      const task: Promise<void> = this.start(item)
        .catch((err: unknown) => this.options.onError?.(err, item))
        .finally(() => {
          this.active.delete(task);
          this.pump();
        });
      this.active.add(task);
    }
  }
}
