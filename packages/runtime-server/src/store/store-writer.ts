// Where the file store's writes run: a writer thread (the default) or libuv's thread pool.
import type { WriteOp } from './write-ops.js';

export type WriterKind = 'thread' | 'pool';

export interface StoreWriter {
  /** Where writes run right now: a thread writer whose thread died reports 'pool'. */
  readonly kind: WriterKind;
  /**
   * Whether every operation finishes after all operations submitted before it (one writer
   * thread). The pool runs operations concurrently: callers order them by awaiting.
   */
  readonly ordered: boolean;
  /** Runs one operation; rejects with the fs error (its `code` kept). */
  submit(op: WriteOp): Promise<void>;
  /**
   * Runs operations in the given order (the first completes before the second starts); rejects
   * with the first failure. Later operations of a failed sequence may or may not be attempted.
   */
  sequence(ops: readonly WriteOp[]): Promise<void>;
  /**
   * Runs `task` once at the end of this event-loop turn, before the turn's writes go out, so
   * writes it submits join them (the logs' buffered lines).
   */
  atEndOfTurn(task: () => void): void;
  /** Waits for every submitted write, closes files kept open and releases the writer. */
  close(): Promise<void>;
}

/** Runs tasks in one setImmediate at the end of the current turn. */
export class TurnTasks {
  private tasks: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly afterTasks: () => void = () => undefined) {}

  add(task: () => void): void {
    this.tasks.push(task);
    this.schedule();
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.runNow());
  }

  /** Runs the tasks collected so far (and those they add), then `afterTasks`. */
  runNow(): void {
    this.scheduled = false;
    while (this.tasks.length > 0) {
      const tasks = this.tasks;
      this.tasks = [];
      for (const task of tasks) task();
    }
    this.afterTasks();
  }
}
