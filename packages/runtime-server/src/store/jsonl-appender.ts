// Appends JSON lines to one file through a single open handle. Lines appended in the same turn of
// the event loop go out in one write, so a run that emits many events costs a few writes, not one
// open/write/close per event. Best effort: no fsync, failures are reported, never thrown.
import { closeFile, openFile, writeAll } from './fs-callbacks.js';

export class JsonlAppender {
  private lines: string[] = [];
  private scheduled = false;
  private closed = false;
  private fd: number | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  append(value: unknown): void {
    if (this.closed) return;
    let line: string;
    try {
      line = JSON.stringify(value) + '\n';
    } catch (err) {
      this.onError(err);
      return;
    }
    this.lines.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  /** Resolves once every line appended so far has been written. */
  flush(): Promise<void> {
    this.drain();
    return this.chain;
  }

  close(): Promise<void> {
    if (this.closed) return this.chain;
    this.drain();
    this.closed = true;
    this.chain = this.chain.then(async () => {
      const fd = this.fd;
      this.fd = undefined;
      if (fd !== undefined) await closeFile(fd).catch(this.onError);
    });
    return this.chain;
  }

  private drain(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.chain = this.chain.then(() => this.write(chunk));
  }

  private async write(chunk: string): Promise<void> {
    try {
      this.fd ??= await openFile(this.file, 'a');
      await writeAll(this.fd, Buffer.from(chunk, 'utf8'));
    } catch (err) {
      this.onError(err);
    }
  }
}
