// Appends JSON lines to one file. Lines appended in the same turn of the event loop go out as one
// append, and while an append is in flight the next lines wait and go out together, so a run that
// emits many events costs a few writes, not one per event. The first append opens and closes the
// file; from the second one on it stays open until close(), so a log written in one go (most
// short runs) needs no close operation and a long run's log is opened twice in all. Best effort:
// no fsync, failures are reported, never thrown.
import type { StoreWriter } from './store-writer.js';

const jsonLine = (value: unknown): string => JSON.stringify(value) + '\n';

export class JsonlAppender<T = unknown> {
  private lines: string[] = [];
  private scheduled = false;
  private closed = false;
  private inFlight: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private appended = false;
  private keptOpen = false;
  private readonly drainTask = (): void => this.drain();

  constructor(
    private readonly file: string,
    private readonly writer: StoreWriter,
    private readonly onError: (err: unknown) => void,
    /** One value as a line of JSON text, newline included. */
    private readonly encode: (value: T) => string = jsonLine,
  ) {}

  append(value: T): void {
    if (this.closed) return;
    let line: string;
    try {
      line = this.encode(value);
    } catch (err) {
      this.onError(err);
      return;
    }
    this.lines.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      this.writer.atEndOfTurn(this.drainTask);
    }
  }

  /** Resolves once every line appended so far has been written (or its failure reported). */
  async flush(): Promise<void> {
    this.drain();
    while (this.inFlight) await this.inFlight;
  }

  /** Flushes, then closes the file; later appends are dropped. */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= this.flush().then(() =>
      this.keptOpen
        ? this.writer.submit({ kind: 'closeFile', path: this.file }).catch(this.onError)
        : undefined,
    );
    return this.closing;
  }

  private drain(): void {
    this.scheduled = false;
    if (this.inFlight || this.lines.length === 0) return;
    const data = this.lines.join('');
    this.lines = [];
    const keepOpen = this.appended;
    this.appended = true;
    this.keptOpen ||= keepOpen;
    this.inFlight = this.writer
      .submit({ kind: 'append', path: this.file, data, keepOpen })
      .catch(this.onError)
      .then(() => {
        this.inFlight = undefined;
        this.drain();
      });
  }
}
