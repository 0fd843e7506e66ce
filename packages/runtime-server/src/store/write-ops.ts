// The write operations of the file store, and the messages that carry them to the writer thread.
// Both writers (writer-thread.mjs on its own thread, PoolWriter on libuv's pool) give each kind
// the same meaning:
//   mkdir        create one directory; its parent must exist; an existing one is fine
//   writeAtomic  replace a file atomically (temp file beside it, then rename; temp removed on
//                failure)
//   append       append data to a file (created if missing); with keepOpen the file stays open
//                for the next append until a closeFile (a run's logs: open once, close at the end)
//   closeFile    close a file kept open by append (nothing when it is not open)
//   remove       delete a file; a missing file is fine (closes it first when kept open)
//   closeAll     close every file kept open (before the writer stops)

export type WriteOp =
  | { kind: 'mkdir'; path: string }
  | { kind: 'writeAtomic'; path: string; data: string }
  | { kind: 'append'; path: string; data: string; keepOpen?: boolean }
  | { kind: 'closeFile'; path: string }
  | { kind: 'remove'; path: string }
  | { kind: 'closeAll' };

/** Main thread -> writer thread: the operations of one event-loop turn, run in this order. */
export interface WriteBatch {
  ops: WriteOp[];
}

/** Why one operation of a batch failed, as far as a structured clone carries an fs error. */
export interface OpFailure {
  /** Index of the operation in its batch. */
  index: number;
  /** The errno code (ENOENT, EACCES, ...) or another code of the thrown error. */
  code: string;
  message: string;
  syscall?: string;
  path?: string;
}

/** Writer thread -> main thread: one answer per batch, in batch order; only failures are listed. */
export interface BatchReply {
  failures: OpFailure[];
}

/** Writer thread -> main thread, once, before any answer: the thread's code is running. */
export interface ReadyMessage {
  ready: true;
}

export type WriterMessage = BatchReply | ReadyMessage;

/** Turns a failure that crossed the thread boundary back into an Error that keeps its code. */
export function errorFromFailure(failure: OpFailure): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(failure.message);
  err.code = failure.code;
  if (failure.syscall !== undefined) err.syscall = failure.syscall;
  if (failure.path !== undefined) err.path = failure.path;
  return err;
}
