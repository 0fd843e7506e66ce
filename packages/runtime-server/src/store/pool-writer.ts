// The store's writes on libuv's thread pool (the callback fs API): each fs call is one pool job.
// Operations run concurrently; the store orders what must be ordered by awaiting. Also the
// fallback of the thread writer when its thread dies.
import { closeFile, mkdir, openFile, rename, unlink, writeAll, writeFile } from './fs-callbacks.js';
import { TurnTasks, type StoreWriter } from './store-writer.js';
import type { WriteOp } from './write-ops.js';

const codeOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException)?.code;

let tempCounter = 0;

/** Replaces `file` atomically: a temp file beside it, then a rename over it. No fsync. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  tempCounter = (tempCounter + 1) % Number.MAX_SAFE_INTEGER;
  const temp = `${file}.${process.pid}.${tempCounter}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

export class PoolWriter implements StoreWriter {
  readonly kind = 'pool';
  readonly ordered = false;
  /** Files kept open between appends; the promise of the open, so two appends share one. */
  private readonly openFiles = new Map<string, Promise<number>>();
  private readonly turn = new TurnTasks();
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  submit(op: WriteOp): Promise<void> {
    this.inFlight++;
    return this.run(op).finally(() => {
      if (--this.inFlight === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    });
  }

  async sequence(ops: readonly WriteOp[]): Promise<void> {
    for (const op of ops) await this.submit(op);
  }

  atEndOfTurn(task: () => void): void {
    this.turn.add(task);
  }

  async close(): Promise<void> {
    this.turn.runNow(); // buffered log lines go out before the wait
    while (this.inFlight > 0) await new Promise<void>((wake) => this.idleWaiters.push(wake));
    await this.submit({ kind: 'closeAll' });
  }

  private async run(op: WriteOp): Promise<void> {
    switch (op.kind) {
      case 'mkdir':
        try {
          await mkdir(op.path);
        } catch (err) {
          if (codeOf(err) !== 'EEXIST') throw err;
        }
        return;
      case 'writeAtomic':
        return writeFileAtomic(op.path, op.data);
      case 'append':
        if (op.keepOpen) return this.appendKeepingOpen(op.path, op.data);
        return writeFile(op.path, op.data, 'a');
      case 'closeFile':
        return this.closeFile(op.path);
      case 'remove':
        await this.closeFile(op.path);
        try {
          await unlink(op.path);
        } catch (err) {
          if (codeOf(err) !== 'ENOENT') throw err;
        }
        return;
      case 'closeAll':
        await Promise.all([...this.openFiles.keys()].map((file) => this.closeFile(file)));
        return;
    }
  }

  private async appendKeepingOpen(file: string, data: string): Promise<void> {
    let opening = this.openFiles.get(file);
    if (!opening) {
      opening = openFile(file, 'a');
      this.openFiles.set(file, opening);
      // A failed open is forgotten, so the next append tries again.
      opening.catch(() => {
        if (this.openFiles.get(file) === opening) this.openFiles.delete(file);
      });
    }
    const fd = await opening;
    try {
      await writeAll(fd, Buffer.from(data, 'utf8'));
    } catch (err) {
      await this.closeFile(file).catch(() => undefined);
      throw err;
    }
  }

  private async closeFile(file: string): Promise<void> {
    const opening = this.openFiles.get(file);
    if (!opening) return;
    this.openFiles.delete(file);
    const fd = await opening.catch(() => undefined);
    if (fd !== undefined) await closeFile(fd);
  }
}
