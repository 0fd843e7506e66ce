// The embedded RunStore: one directory per run under the trace dir, in the JARVIS layout.
//   <trace-dir>/<run_id>/request.json   the accepted RunRequest, plus owner and creation time
//                                       (atomic; written before the run is acknowledged)
//   <trace-dir>/<run_id>/status.json    the RunStatus, plus owner and creation time (atomic;
//                                       absent until the run has been running for a moment)
//   <trace-dir>/<run_id>/result.json    the RunResult once terminal (atomic)
//   <trace-dir>/<run_id>/events.jsonl   RunEvents, to replay streams (buffered appends)
//   <trace-dir>/<run_id>/trace.jsonl    TraceEvents (buffered appends)
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import {
  validateRunResult,
  type RunEvent,
  type RunRequest,
  type RunResult,
  type TraceEvent,
} from '@arp-ts/sdk';
import { isSafeRunId } from '../run-id.js';
import { LatestWinsWriter, writeFileAtomic } from './atomic-file.js';
import { JsonlAppender } from './jsonl-appender.js';
import { decodeRecord, decodeRequest, encodeRecord, encodeRequest } from './record-codec.js';
import type { RunLog, RunRecord, RunStore } from './run-store.js';

export const REQUEST_FILE = 'request.json';
export const STATUS_FILE = 'status.json';
export const RESULT_FILE = 'result.json';
export const EVENTS_FILE = 'events.jsonl';
export const TRACE_FILE = 'trace.jsonl';

export interface FileRunStoreOptions {
  traceDir: string;
  /** Told about failed best-effort appends; defaults to ignoring them. */
  onError?: (err: unknown, context: { runId: string; file: string }) => void;
}

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
  private readonly statusWriters = new Map<string, LatestWinsWriter>();
  private readonly onError: NonNullable<FileRunStoreOptions['onError']>;

  constructor(options: FileRunStoreOptions) {
    this.root = path.resolve(options.traceDir);
    this.onError = options.onError ?? (() => undefined);
  }

  /** The directory of a run; refuses ids that could leave the trace dir. */
  runDir(runId: string): string {
    if (!isSafeRunId(runId)) throw new UnsafeRunIdError();
    const dir = path.join(this.root, runId);
    if (path.dirname(dir) !== this.root) throw new UnsafeRunIdError();
    return dir;
  }

  runFile(runId: string, name: string): string {
    return path.join(this.runDir(runId), name);
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async loadRecords(): Promise<RunRecord[]> {
    const entries = await readdir(this.root, { withFileTypes: true });
    const ids = entries.filter((e) => e.isDirectory() && isSafeRunId(e.name)).map((e) => e.name);
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
    const status = await read(STATUS_FILE);
    if (status !== undefined) return decodeRecord(runId, status);
    const request = await read(REQUEST_FILE);
    return request === undefined ? undefined : decodeRequest(runId, request)?.record;
  }

  /** One directory and one atomic request.json: all recovery needs of an accepted run. */
  async createRun(record: RunRecord, request: RunRequest): Promise<void> {
    const runId = record.status.run_id;
    await mkdir(this.runDir(runId), { recursive: true });
    await writeFileAtomic(this.runFile(runId, REQUEST_FILE), encodeRequest(record, request));
  }

  saveRecord(record: RunRecord): Promise<void> {
    const runId = record.status.run_id;
    let writer = this.statusWriters.get(runId);
    if (!writer) {
      writer = new LatestWinsWriter(this.runFile(runId, STATUS_FILE), () =>
        this.statusWriters.delete(runId),
      );
      this.statusWriters.set(runId, writer);
    }
    return writer.write(encodeRecord(record));
  }

  async saveResult(result: RunResult): Promise<void> {
    await writeFileAtomic(this.runFile(result.run_id, RESULT_FILE), JSON.stringify(result));
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
    const events = new JsonlAppender(this.runFile(runId, EVENTS_FILE), report(EVENTS_FILE));
    const trace = new JsonlAppender(this.runFile(runId, TRACE_FILE), report(TRACE_FILE));
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

  async resetLogs(runId: string): Promise<void> {
    await Promise.all([
      rm(this.runFile(runId, EVENTS_FILE), { force: true }),
      rm(this.runFile(runId, TRACE_FILE), { force: true }),
    ]);
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    const file = this.runFile(runId, EVENTS_FILE);
    const text = await readTextIfPresent(file);
    // A SIGKILL can leave a cut-short last line; start on a fresh line so ours stays readable.
    const lead = text && !text.endsWith('\n') ? '\n' : '';
    await writeFile(file, lead + events.map((e) => JSON.stringify(e) + '\n').join(''), {
      flag: 'a',
    });
  }

  traceUri(runId: string): string {
    return pathToFileURL(this.runFile(runId, TRACE_FILE)).href;
  }

  async probe(): Promise<void> {
    const file = path.join(this.root, `${PROBE_PREFIX}${process.pid}`);
    await writeFile(file, 'ok');
    await rm(file, { force: true });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.statusWriters.values()].map((w) => w.settled()));
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
