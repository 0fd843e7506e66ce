// The store's writes on one writer thread (writer-thread.mjs). The operations submitted during
// one event-loop turn go out as ONE message; the thread runs them in order with synchronous fs
// calls and answers with one message per batch. The main thread pays one message each way per
// batch instead of a pool job and a completion callback per fs call, and every operation of the
// store finishes in submission order.
//
// The thread starts with start() (the store's init) or the first write, and is unref'd while idle,
// so it never keeps a process alive on its own. If it dies, the operations it was running fail with
// ERR_STORE_WRITER_STOPPED (they may or may not have been written), and every later write goes
// through the libuv pool instead.
import { Worker } from 'node:worker_threads';
import { PoolWriter } from './pool-writer.js';
import { TurnTasks, type StoreWriter, type WriterKind } from './store-writer.js';
import {
  errorFromFailure,
  type BatchReply,
  type WriteOp,
  type WriterMessage,
} from './write-ops.js';

export const WRITER_THREAD_FILE = new URL('./writer-thread.mjs', import.meta.url);

export const WRITER_STOPPED = 'ERR_STORE_WRITER_STOPPED';

interface Settler {
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface SentBatch {
  ops: WriteOp[];
  settlers: Settler[];
}

export interface ThreadWriterOptions {
  /** Told once when the thread cannot start or dies (later writes then use the pool). */
  onFallback?: (err: Error) => void;
  /** The thread's script; tests point it elsewhere to see a thread that cannot start. */
  threadFile?: URL;
}

export class ThreadWriter implements StoreWriter {
  private worker: Worker | undefined;
  /** Whether the thread's code runs: until then its batches can be replayed on the pool. */
  private online = false;
  /** Set once the thread died or was closed: every write goes to `pool` from then on. */
  private gone = false;
  private closing: Promise<void> | undefined;
  private ops: WriteOp[] = [];
  private settlers: Settler[] = [];
  private readonly sent: SentBatch[] = [];
  private readonly pool = new PoolWriter();
  private readonly turn = new TurnTasks(() => this.sendBatch());

  constructor(private readonly options: ThreadWriterOptions = {}) {}

  get kind(): WriterKind {
    return this.gone ? 'pool' : 'thread';
  }

  get ordered(): boolean {
    return !this.gone;
  }

  /** The writer thread, while it runs (diagnostics and tests). */
  get thread(): Worker | undefined {
    return this.gone ? undefined : this.worker;
  }

  /** Starts the thread now rather than on the first write. */
  start(): void {
    if (this.gone || this.worker) return;
    let worker: Worker;
    try {
      worker = new Worker(this.options.threadFile ?? WRITER_THREAD_FILE, {
        name: 'arp-store-writer',
        // The thread only needs node:fs; the process's flags can stop it from starting at all
        // (`node --input-type=module -e ...` refuses a worker script).
        execArgv: [],
      });
    } catch (err) {
      this.fallBack(asError(err));
      return;
    }
    this.worker = worker;
    worker.on('message', (message: WriterMessage) => {
      if ('ready' in message) this.online = true;
      else this.settleBatch(message);
    });
    let cause: Error | undefined;
    worker.on('error', (err) => {
      cause = err;
    });
    worker.on('messageerror', (err) => {
      cause = err;
      void worker.terminate();
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker || this.gone) return;
      const reason = cause ? `: ${cause.message}` : '';
      this.threadDied(
        new Error(`the file store's writer thread stopped (exit code ${code}${reason})`),
      );
    });
    // After the listeners: adding a 'message' listener refs the worker again.
    worker.unref();
  }

  submit(op: WriteOp): Promise<void> {
    if (this.gone) return this.pool.submit(op);
    this.start();
    return new Promise<void>((resolve, reject) => {
      this.ops.push(op);
      this.settlers.push({ resolve, reject });
      this.turn.schedule();
    });
  }

  sequence(ops: readonly WriteOp[]): Promise<void> {
    if (this.gone) return this.pool.sequence(ops);
    // One thread runs them in submission order; all settle in the same reply.
    return Promise.all(ops.map((op) => this.submit(op))).then(() => undefined);
  }

  atEndOfTurn(task: () => void): void {
    if (this.gone) this.pool.atEndOfTurn(task);
    else this.turn.add(task);
  }

  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    if (!this.gone && worker) {
      // Buffered log lines first, then closeAll: as the thread runs operations in order, once
      // closeAll is answered everything submitted before it is on disk.
      this.turn.runNow();
      const drained = this.submit({ kind: 'closeAll' }).catch(() => undefined);
      this.turn.runNow();
      await drained;
      if (!this.gone) {
        this.gone = true;
        await worker.terminate();
      }
    }
    this.gone = true;
    await this.pool.close();
  }

  private sendBatch(): void {
    if (this.ops.length === 0) return;
    const batch: SentBatch = { ops: this.ops, settlers: this.settlers };
    this.ops = [];
    this.settlers = [];
    if (this.gone || !this.worker) {
      this.replayOnPool([batch]);
      return;
    }
    if (this.sent.length === 0) this.worker.ref();
    this.sent.push(batch);
    this.worker.postMessage({ ops: batch.ops });
  }

  private settleBatch(reply: BatchReply): void {
    const batch = this.sent.shift();
    if (!batch) return;
    if (this.sent.length === 0) this.worker?.unref();
    let next = 0;
    for (const failure of reply.failures) {
      for (; next < failure.index; next++) batch.settlers[next]?.resolve();
      batch.settlers[next++]?.reject(errorFromFailure(failure));
    }
    for (; next < batch.settlers.length; next++) batch.settlers[next]?.resolve();
  }

  private threadDied(err: Error): void {
    const sent = this.sent.splice(0);
    const unsent: SentBatch = { ops: this.ops, settlers: this.settlers };
    this.ops = [];
    this.settlers = [];
    this.fallBack(err);
    if (!this.online) {
      // The thread never ran: nothing of these batches was written, so all of them can be.
      this.replayOnPool([...sent, unsent]);
      return;
    }
    const stopped = Object.assign(
      new Error(`${err.message}; this write may or may not have reached the disk`),
      { code: WRITER_STOPPED },
    );
    for (const batch of sent) for (const settler of batch.settlers) settler.reject(stopped);
    this.replayOnPool([unsent]);
  }

  private fallBack(err: Error): void {
    if (this.gone) return;
    this.gone = true;
    this.worker = undefined;
    this.options.onFallback?.(err);
  }

  /** Runs batches on the pool one operation after the other, keeping their order. */
  private replayOnPool(batches: readonly SentBatch[]): void {
    void (async () => {
      for (const batch of batches) {
        for (let i = 0; i < batch.ops.length; i++) {
          const op = batch.ops[i];
          const settler = batch.settlers[i];
          if (!op || !settler) continue;
          await this.pool.submit(op).then(settler.resolve, settler.reject);
        }
      }
    })();
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
