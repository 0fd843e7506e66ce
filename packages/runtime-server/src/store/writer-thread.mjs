// @ts-check
// The file store's writer thread: runs the store's write operations with synchronous fs calls,
// one batch at a time, in the order they were submitted. Synchronous calls here cost the main
// thread nothing; one message per batch replaces a libuv pool job and its completion callback
// per fs call. Plain JavaScript, because a Worker needs a real file both in tests (TypeScript
// sources) and in the published package (dist/). The meaning of each operation is documented in
// write-ops.ts.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** @typedef {import('./write-ops.js').WriteOp} WriteOp */
/** @typedef {import('./write-ops.js').WriteBatch} WriteBatch */
/** @typedef {import('./write-ops.js').OpFailure} OpFailure */

const port = parentPort;
if (!port) throw new Error('writer-thread.mjs runs as a worker thread only');

/** Files kept open between appends (a live run's logs), by path. */
const openFiles = new Map();
let tempCounter = 0;

/** @param {unknown} err */
function codeOf(err) {
  return /** @type {NodeJS.ErrnoException} */ (err)?.code;
}

/** @param {string} file @param {string} data */
function writeAtomic(file, data) {
  tempCounter = (tempCounter + 1) % Number.MAX_SAFE_INTEGER;
  // `w` tells these temp files from the pool writer's, which share the process id.
  const temp = `${file}.${process.pid}.w${tempCounter}.tmp`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (err) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // The temp file was never created, or is gone already.
    }
    throw err;
  }
}

/** @param {number} fd @param {string} data */
function writeAll(fd, data) {
  const buffer = Buffer.from(data, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += fs.writeSync(fd, buffer, offset);
}

/** @param {string} file */
function closeFile(file) {
  const fd = openFiles.get(file);
  if (fd === undefined) return;
  openFiles.delete(file);
  fs.closeSync(fd);
}

/** @param {string} file @param {string} data */
function appendKeepingOpen(file, data) {
  let fd = openFiles.get(file);
  if (fd === undefined) {
    fd = fs.openSync(file, 'a');
    openFiles.set(file, fd);
  }
  try {
    writeAll(fd, data);
  } catch (err) {
    // Reopen on the next append rather than keep writing to a handle that failed.
    openFiles.delete(file);
    fs.closeSync(fd);
    throw err;
  }
}

/** @param {WriteOp} op */
function run(op) {
  switch (op.kind) {
    case 'mkdir':
      try {
        fs.mkdirSync(op.path);
      } catch (err) {
        if (codeOf(err) !== 'EEXIST') throw err;
      }
      return;
    case 'writeAtomic':
      writeAtomic(op.path, op.data);
      return;
    case 'append':
      if (op.keepOpen) appendKeepingOpen(op.path, op.data);
      else fs.appendFileSync(op.path, op.data);
      return;
    case 'closeFile':
      closeFile(op.path);
      return;
    case 'remove':
      closeFile(op.path);
      try {
        fs.unlinkSync(op.path);
      } catch (err) {
        if (codeOf(err) !== 'ENOENT') throw err;
      }
      return;
    case 'closeAll':
      for (const file of [...openFiles.keys()]) closeFile(file);
      return;
    default:
      throw new Error(`unknown write operation ${JSON.stringify(op)}`);
  }
}

/** @param {number} index @param {unknown} err @returns {OpFailure} */
function failure(index, err) {
  const e = /** @type {NodeJS.ErrnoException} */ (
    err instanceof Error ? err : new Error(String(err))
  );
  /** @type {OpFailure} */
  const out = { index, code: e.code ?? 'ERR_STORE_WRITE', message: e.message };
  if (e.syscall !== undefined) out.syscall = e.syscall;
  if (e.path !== undefined) out.path = e.path;
  return out;
}

port.on('message', (/** @type {WriteBatch} */ batch) => {
  /** @type {OpFailure[]} */
  const failures = [];
  const ops = batch.ops;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op === undefined) continue;
    try {
      run(op);
    } catch (err) {
      failures.push(failure(i, err));
    }
  }
  port.postMessage({ failures });
});

// Tells the main thread this file loaded: until then, nothing it sent can have been written.
port.postMessage({ ready: true });
