// Small state files are replaced atomically: write a temp file beside the target, then rename it
// over the target, so a reader (or a restart after SIGKILL) sees the old or the new file, never
// half of one. No fsync: a power loss may lose the latest version, a process crash does not.
import { rename, unlink, writeFile } from './fs-callbacks.js';

let counter = 0;

export async function writeFileAtomic(file: string, data: string): Promise<void> {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  const temp = `${file}.${process.pid}.${counter}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/**
 * Serialises the writes of one file and lets later versions overtake queued ones: while a write is
 * in flight, only the newest pending content is written next. Every caller's promise resolves
 * once its content, or a newer one, is on disk.
 */
export class LatestWinsWriter {
  private inFlight: Promise<void> | undefined;
  private pending: { data: string; done: Promise<void> } | undefined;

  constructor(
    private readonly file: string,
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
      await writeFileAtomic(this.file, data);
    } finally {
      // Runs before any queued write takes over (that one is chained behind this promise).
      if (!this.pending) {
        this.inFlight = undefined;
        this.onIdle();
      }
    }
  }
}
