// The embedded RunStore: one directory per run under the trace dir, in the JARVIS layout.
//   <trace-dir>/<run_id>/request.json   the accepted RunRequest, plus owner and creation time
//                                       (atomic; written before the run is acknowledged)
//   <trace-dir>/<run_id>/status.json    the RunStatus, plus owner and creation time (atomic;
//                                       absent until the run has been running for a moment)
//   <trace-dir>/<run_id>/result.json    the RunResult once terminal (atomic)
//   <trace-dir>/<run_id>/events.jsonl   RunEvents, to replay streams (buffered appends)
//   <trace-dir>/<run_id>/trace.jsonl    TraceEvents (buffered appends)
// Log lines reach the disk within logFlushMs (20 ms) and when the run ends: a run that ends
// sooner writes each log once.
// Writes go through a StoreWriter: one writer thread by default (all writes in submission order,
// one message per event-loop turn), or libuv's pool. Reads stay on the async fs API.
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  validateRunResult,
  type RunEvent,
  type RunRequest,
  type RunResult,
  type TraceEvent,
} from '@arp-ts/sdk';
import { isSafeRunId } from '../run-id.js';
import { DelayedTasks } from './delayed-tasks.js';
import { EventLines } from './event-lines.js';
import { JsonlAppender } from './jsonl-appender.js';
import { LatestWinsWriter } from './latest-wins-writer.js';
import { PoolWriter } from './pool-writer.js';
import { decodeRecord, decodeRequest, encodeRecord, encodeRequest } from './record-codec.js';
import type { RunLog, RunRecord, RunStore } from './run-store.js';
import type { StoreWriter, WriterKind } from './store-writer.js';
import { ThreadWriter, WRITER_THREAD_FILE } from './thread-writer.js';

export const REQUEST_FILE = 'request.json';
export const STATUS_FILE = 'status.json';
export const RESULT_FILE = 'result.json';
export const EVENTS_FILE = 'events.jsonl';
export const TRACE_FILE = 'trace.jsonl';

export interface FileRunStoreOptions {
  traceDir: string;
  /**
   * Where writes run: `'thread'` (default), one writer thread doing synchronous fs calls in
   * submission order, batched per event-loop turn; `'pool'`, libuv's thread pool, one job per
   * fs call (more parallel on a slow disk, more main-thread work per write).
   */
  writer?: WriterKind;
  /**
   * Told about failed best-effort appends (with the run and file), and once if the writer thread
   * cannot start or dies (without a run id; later writes then use the pool). Defaults to
   * ignoring them.
   */
  onError?: (err: unknown, context: { runId?: string; file: string }) => void;
  /**
   * How long a run's log lines may wait in memory before they are written (default 20 ms; 0:
   * at the end of each event-loop turn). They are also written when the run ends.
   */
  logFlushMs?: number;
}

const DEFAULT_LOG_FLUSH_MS = 20;

/** Thrown when a run id that is not a safe path segment reaches the store. */
export class UnsafeRunIdError extends Error {
  constructor() {
    super('run id is not a safe path segment');
    this.name = 'UnsafeRunIdError';
  }
}

const LOAD_BATCH = 64;
// `~` can never appear in a run id, so the probe file cannot collide with a run directory.
const PROBE_PREFIX = '~arp-probe-';

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function readTextIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

export class FileRunStore implements RunStore {
  readonly root: string;
  private readonly rootPrefix: string;
  private readonly rootUrlPrefix: string;
  private readonly statusWriters = new Map<string, LatestWinsWriter>();
  private readonly onError: NonNullable<FileRunStoreOptions['onError']>;
  private readonly logFlush: DelayedTasks | undefined;
  /** Runs every write of the store (exposed for diagnostics and tests). */
  readonly writer: StoreWriter;

  constructor(options: FileRunStoreOptions) {
    this.root = path.resolve(options.traceDir);
    this.rootPrefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    const rootUrl = pathToFileURL(this.root).href;
    this.rootUrlPrefix = rootUrl.endsWith('/') ? rootUrl : `${rootUrl}/`;
    this.onError = options.onError ?? (() => undefined);
    const logFlushMs = options.logFlushMs ?? DEFAULT_LOG_FLUSH_MS;
    if (!Number.isFinite(logFlushMs) || logFlushMs < 0) {
      throw new RangeError(`logFlushMs must be a finite number >= 0, got ${logFlushMs}`);
    }
    this.logFlush = logFlushMs > 0 ? new DelayedTasks(logFlushMs) : undefined;
    this.writer =
      options.writer === 'pool'
        ? new PoolWriter()
        : new ThreadWriter({
            onFallback: (err) => this.onError(err, { file: fileURLToPath(WRITER_THREAD_FILE) }),
          });
  }

  /**
   * The directory of a run; refuses ids that could leave the trace dir. A safe id has no path
   * separator and is not `.` or `..`, so plain concatenation names a direct child of the root
   * (path.join's normalising would cost more than the rest of the store's bookkeeping).
   */
  runDir(runId: string): string {
    if (!isSafeRunId(runId)) throw new UnsafeRunIdError();
    return this.rootPrefix + runId;
  }

  runFile(runId: string, name: string): string {
    return this.runDir(runId) + path.sep + name;
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    if (this.writer instanceof ThreadWriter) this.writer.start();
  }

  async loadRecords(owns: (runId: string) => boolean = () => true): Promise<RunRecord[]> {
    const entries = await readdir(this.root, { withFileTypes: true });
    const ids = entries
      .filter((e) => e.isDirectory() && isSafeRunId(e.name) && owns(e.name))
      .map((e) => e.name);
    const records: RunRecord[] = [];
    for (let i = 0; i < ids.length; i += LOAD_BATCH) {
      const batch = await Promise.all(ids.slice(i, i + LOAD_BATCH).map((id) => this.loadOne(id)));
      for (const r of batch) if (r) records.push(r);
    }
    return records;
  }

  /** status.json when there is one; else request.json stands for a run accepted and queued. */
  private async loadOne(runId: string): Promise<RunRecord | undefined> {
    const read = (name: string): Promise<string | undefined> =>
      readTextIfPresent(this.runFile(runId, name)).catch(() => undefined);
    // request.json is always written first; a run without one was never accepted (its request
    // could not be stored, and the client was told so), whatever else of it reached the disk.
    const request = await read(REQUEST_FILE);
    if (request === undefined) return undefined;
    const status = await read(STATUS_FILE);
    if (status !== undefined) return decodeRecord(runId, status);
    return decodeRequest(runId, request)?.record;
  }

  /**
   * One directory and one atomic request.json: all recovery needs of an accepted run. The trace
   * dir itself is not created again if it disappeared: that fails (ENOENT) like the probe.
   */
  createRun(record: RunRecord, request: RunRequest): Promise<void> {
    const runId = record.status.run_id;
    return this.writer.sequence([
      { kind: 'mkdir', path: this.runDir(runId) },
      {
        kind: 'writeAtomic',
        path: this.runFile(runId, REQUEST_FILE),
        data: encodeRequest(record, request),
      },
    ]);
  }

  saveRecord(record: RunRecord): Promise<void> {
    const runId = record.status.run_id;
    let statusWriter = this.statusWriters.get(runId);
    if (!statusWriter) {
      const file = this.runFile(runId, STATUS_FILE);
      statusWriter = new LatestWinsWriter(
        (data) => this.writer.submit({ kind: 'writeAtomic', path: file, data }),
        () => this.statusWriters.delete(runId),
      );
      this.statusWriters.set(runId, statusWriter);
    }
    return statusWriter.write(encodeRecord(record));
  }

  saveResult(result: RunResult): Promise<void> {
    const file = this.runFile(result.run_id, RESULT_FILE);
    return this.writer.submit({ kind: 'writeAtomic', path: file, data: JSON.stringify(result) });
  }

  /** True with the writer thread (one thread, submission order); false on the pool. */
  get writesInOrder(): boolean {
    return this.writer.ordered;
  }

  /** With the ordered writer both go out in one batch, result first; otherwise one by one. */
  async saveEnd(result: RunResult, record: RunRecord): Promise<void> {
    if (this.writer.ordered) {
      await Promise.all([this.saveResult(result), this.saveRecord(record)]);
      return;
    }
    await this.saveResult(result);
    await this.saveRecord(record);
  }

  async readRequest(runId: string): Promise<RunRequest | undefined> {
    const text = await readTextIfPresent(this.runFile(runId, REQUEST_FILE));
    return text === undefined ? undefined : decodeRequest(runId, text)?.request;
  }

  async readResult(runId: string): Promise<RunResult | undefined> {
    const text = await readTextIfPresent(this.runFile(runId, RESULT_FILE));
    if (text === undefined) return undefined;
    const checked = validateRunResult(safeParse(text));
    return checked.ok ? checked.value : undefined;
  }

  async *readEvents(runId: string, afterSeq = -1): AsyncIterable<RunEvent> {
    const stream = createReadStream(this.runFile(runId, EVENTS_FILE), { encoding: 'utf8' });
    const missing = new Promise<boolean>((resolve) => {
      stream.once('error', (err) => resolve(isMissing(err)));
      stream.once('open', () => resolve(false));
    });
    if (await missing) return;
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        // A SIGKILL can cut the last line short; such a line is skipped.
        const event = safeParse(line);
        if (isRunEventLike(event) && event.run_id === runId && event.seq > afterSeq) yield event;
      }
    } finally {
      lines.close();
      stream.destroy();
    }
  }

  openLog(runId: string): RunLog {
    const report = (file: string) => (err: unknown) => this.onError(err, { runId, file });
    const lines = new EventLines(runId);
    const { logFlush } = this;
    const schedule = logFlush ? (drain: () => void) => logFlush.schedule(drain) : undefined;
    const events = new JsonlAppender<RunEvent>(
      this.runFile(runId, EVENTS_FILE),
      this.writer,
      report(EVENTS_FILE),
      { encode: (event) => lines.runEvent(event), schedule },
    );
    const trace = new JsonlAppender<TraceEvent>(
      this.runFile(runId, TRACE_FILE),
      this.writer,
      report(TRACE_FILE),
      { encode: (event) => lines.traceEvent(event), schedule },
    );
    return {
      appendEvent: (event: RunEvent) => events.append(event),
      appendTrace: (event: TraceEvent) => trace.append(event),
      flush: async () => {
        await Promise.all([events.flush(), trace.flush()]);
      },
      close: async () => {
        await Promise.all([events.close(), trace.close()]);
      },
    };
  }

  resetLogs(runId: string): Promise<void> {
    return this.writer.sequence([
      { kind: 'remove', path: this.runFile(runId, EVENTS_FILE) },
      { kind: 'remove', path: this.runFile(runId, TRACE_FILE) },
    ]);
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    const file = this.runFile(runId, EVENTS_FILE);
    const text = await readTextIfPresent(file);
    // A SIGKILL can leave a cut-short last line; start on a fresh line so ours stays readable.
    const lead = text && !text.endsWith('\n') ? '\n' : '';
    const data = lead + events.map((e) => JSON.stringify(e) + '\n').join('');
    await this.writer.submit({ kind: 'append', path: file, data });
  }

  /** The file URL of a run's trace; a safe run id needs no escaping, so only the root is converted. */
  traceUri(runId: string): string {
    return `${this.rootUrlPrefix}${this.runDir(runId).slice(this.rootPrefix.length)}/${TRACE_FILE}`;
  }

  async probe(): Promise<void> {
    const file = path.join(this.root, `${PROBE_PREFIX}${process.pid}`);
    await writeFile(file, 'ok');
    await rm(file, { force: true });
  }

  /** Waits for every write submitted so far, then stops the writer thread. */
  async close(): Promise<void> {
    // Lines of logs still open go out before the writer stops.
    this.logFlush?.runNow();
    await Promise.allSettled([...this.statusWriters.values()].map((w) => w.settled()));
    await this.writer.close();
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRunEventLike(value: unknown): value is RunEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.run_id === 'string' && typeof v.seq === 'number' && typeof v.type === 'string';
}
