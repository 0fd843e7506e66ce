// Appends JSON lines to one file. Lines are buffered and written together: by default at the end
// of the event-loop turn they were appended in; with a `schedule` (the file store's logs) a short
// while later, so a run that ends within that while writes each log once, when it closes. While an
// append is in flight the next lines wait and go out together; a buffer past MAX_BUFFERED_CHARS
// goes out at the end of the turn whatever the schedule. The first append opens and closes the
// file; from the second one on it stays open until close(), so a log written in one go (most
// short runs) needs no close operation and a long run's log is opened twice in all. flush()
// hands every buffered line to the writer at once when it writes in order, so a caller's next
// write lands after them. Best effort: no fsync, failures are reported, never thrown.
import type { StoreWriter } from './store-writer.js';

const jsonLine = (value: unknown): string => JSON.stringify(value) + '\n';

/** Buffered text (UTF-16 units) that is written at the end of the turn rather than later. */
export const MAX_BUFFERED_CHARS = 64 * 1024;

export interface JsonlAppenderOptions<T> {
  /** One value as a line of JSON text, newline included (default JSON.stringify). */
  encode?: (value: T) => string;
  /** When buffered lines are written (default: at the end of the turn, writer.atEndOfTurn). */
  schedule?: (drain: () => void) => void;
}

export class JsonlAppender<T = unknown> {
  private lines: string[] = [];
  private bufferedChars = 0;
  private scheduled = false;
  private dueThisTurn = false;
  private closed = false;
  private inFlight: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private appended = false;
  private keptOpen = false;
  private readonly drainTask = (): void => this.drain();
  private readonly encode: (value: T) => string;
  private readonly schedule: (drain: () => void) => void;

  constructor(
    private readonly file: string,
    private readonly writer: StoreWriter,
    private readonly onError: (err: unknown) => void,
    options: JsonlAppenderOptions<T> = {},
  ) {
    this.encode = options.encode ?? jsonLine;
    this.schedule = options.schedule ?? ((drain) => writer.atEndOfTurn(drain));
  }

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
    this.bufferedChars += line.length;
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(this.drainTask);
    }
    if (this.bufferedChars >= MAX_BUFFERED_CHARS && !this.dueThisTurn) {
      this.dueThisTurn = true;
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
    // The pool may run two appends at once, so one waits for the other; the writer thread runs
    // them in submission order, so lines go out at once (ahead of whatever is submitted next).
    if (this.lines.length === 0 || (this.inFlight && !this.writer.ordered)) return;
    this.scheduled = false;
    this.dueThisTurn = false;
    const data = this.lines.join('');
    this.lines = [];
    this.bufferedChars = 0;
    const keepOpen = this.appended;
    this.appended = true;
    this.keptOpen ||= keepOpen;
    const written: Promise<void> = this.writer
      .submit({ kind: 'append', path: this.file, data, keepOpen })
      .catch(this.onError)
      .then(() => {
        // In order on the thread: the newest append settles last.
        if (this.inFlight === written) this.inFlight = undefined;
        this.drain();
      });
    this.inFlight = written;
  }
}
