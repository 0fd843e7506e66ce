// Coalescing writes of one state file (status.json): each version replaces the file atomically
// through the store's writer; see pool-writer.ts and writer-thread.mjs for how.

/**
 * Serialises the writes of one file and lets later versions overtake queued ones: while a write is
 * in flight, only the newest pending content is written next. Every caller's promise resolves
 * once its content, or a newer one, is on disk.
 */
export class LatestWinsWriter {
  private inFlight: Promise<void> | undefined;
  private pending: { data: string; done: Promise<void> } | undefined;

  constructor(
    private readonly writeFile: (data: string) => Promise<void>,
    private readonly onIdle: () => void = () => undefined,
  ) {}

  write(data: string): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.run(data);
      return this.inFlight;
    }
    if (this.pending) {
      this.pending.data = data;
      return this.pending.done;
    }
    const previous = this.inFlight;
    const slot = { data, done: Promise.resolve() };
    slot.done = previous
      .catch(() => undefined)
      .then(() => {
        this.pending = undefined;
        this.inFlight = this.run(slot.data);
        return this.inFlight;
      });
    this.pending = slot;
    return slot.done;
  }

  /** Resolves once every write asked for so far has finished (successfully or not). */
  settled(): Promise<void> {
    const last = this.pending?.done ?? this.inFlight ?? Promise.resolve();
    return last.catch(() => undefined);
  }

  private async run(data: string): Promise<void> {
    try {
      await this.writeFile(data);
    } finally {
      // Runs before any queued write takes over (that one is chained behind this promise).
      if (!this.pending) {
        this.inFlight = undefined;
        this.onIdle();
      }
    }
  }
}
