// JSONL trace files: <traceDir>/<run_id>/trace.jsonl, one TraceEvent per line. Events are
// buffered per run and appended in batches (one write per event-loop turn), through one open
// file handle per running run, so tracing costs the engine no synchronous I/O.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TraceEvent } from '@arp-ts/sdk';
import type { TraceSink } from '../ports.js';
import { redactPrompt } from '../redact.js';

export { replay, readTraceFile, ReplayError } from './replay.js';

const SAFE_RUN_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Failures remembered for flush() after a run's file is closed; older ones are forgotten. */
const MAX_REMEMBERED_FAILURES = 1_000;

/** True when the id can name a directory under the trace dir (no separators, not . or ..). */
export function isSafeRunId(runId: string): boolean {
  return SAFE_RUN_ID.test(runId) && runId !== '.' && runId !== '..';
}

export interface JsonlTraceSinkOptions {
  traceDir: string;
  /** Replace `data.prompt` of `llm_call` events by `{ sha256, length }` before writing. */
  redactPrompts?: boolean;
  /** flush() also fsyncs the file (slower; survives a machine crash, not only a process crash). */
  fsync?: boolean;
  /** Told about write failures and refused run ids (emit itself never throws). */
  onError?: (error: Error, runId: string) => void;
}

export interface JsonlTraceSink extends TraceSink {
  /** `<traceDir>/<runId>/trace.jsonl`; throws for a run id that is not a safe path segment. */
  tracePath(runId: string): string;
  traceUri(runId: string): string | undefined;
  /** Resolves once everything emitted for the run is written (rejects if writing failed). */
  flush(runId: string): Promise<void>;
  endRun(runId: string): void;
  /** Writes and closes every open trace. */
  close(): Promise<void>;
}

interface RunFile {
  pending: string[];
  scheduled: boolean;
  /** The last write (or close); every write waits for the one before. */
  chain: Promise<void>;
  handle: Promise<FileHandle> | undefined;
  ended: boolean;
  failure: Error | undefined;
}

function redacted(event: TraceEvent): TraceEvent {
  const prompt = event.data?.prompt;
  if (event.type !== 'llm_call' || typeof prompt !== 'string') return event;
  return { ...event, data: { ...event.data, prompt: redactPrompt(prompt) } };
}

export function createJsonlTraceSink(options: JsonlTraceSinkOptions): JsonlTraceSink {
  const traceDir = resolve(options.traceDir);
  const files = new Map<string, RunFile>();
  const failures = new Map<string, Error>();

  function tracePath(runId: string): string {
    if (!isSafeRunId(runId))
      throw new Error(`unsafe run id for a trace path: ${JSON.stringify(runId.slice(0, 140))}`);
    return join(traceDir, runId, 'trace.jsonl');
  }

  function fail(runId: string, file: RunFile | undefined, err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (file && !file.failure) file.failure = error;
    options.onError?.(error, runId);
  }

  function openFile(runId: string, file: RunFile): Promise<FileHandle> {
    file.handle ??= mkdir(join(traceDir, runId), { recursive: true }).then(() =>
      open(tracePath(runId), 'a'),
    );
    return file.handle;
  }

  function writePending(runId: string, file: RunFile): void {
    file.scheduled = false;
    if (file.pending.length === 0) return;
    const chunk = file.pending.join('');
    file.pending = [];
    file.chain = file.chain
      .then(async () => {
        if (file.failure) return;
        const handle = await openFile(runId, file);
        await handle.write(chunk);
      })
      .catch((err: unknown) => fail(runId, file, err));
  }

  function closeFile(runId: string, file: RunFile): void {
    writePending(runId, file);
    file.chain = file.chain
      .then(async () => {
        if (file.handle) await (await file.handle).close();
      })
      .catch((err: unknown) => fail(runId, file, err))
      .finally(() => {
        if (files.get(runId) === file) files.delete(runId);
        if (file.failure) {
          if (failures.size >= MAX_REMEMBERED_FAILURES) {
            const oldest = failures.keys().next();
            if (!oldest.done) failures.delete(oldest.value);
          }
          failures.set(runId, file.failure);
        }
      });
  }

  function emit(event: TraceEvent): void {
    const runId = event.run_id;
    let file = files.get(runId);
    if (!file || file.ended) {
      if (!isSafeRunId(runId)) {
        fail(
          runId,
          undefined,
          new Error('refused a trace event whose run id is not a safe path segment'),
        );
        return;
      }
      // A run id used again while its old file is still closing appends after that close.
      file = {
        pending: [],
        scheduled: false,
        chain: file ? file.chain : Promise.resolve(),
        handle: undefined,
        ended: false,
        failure: undefined,
      };
      files.set(runId, file);
      failures.delete(runId);
    }
    let line: string;
    try {
      line = JSON.stringify(options.redactPrompts ? redacted(event) : event);
    } catch (err) {
      fail(runId, file, err);
      return;
    }
    file.pending.push(`${line}\n`);
    if (!file.scheduled) {
      file.scheduled = true;
      const current = file;
      setImmediate(() => writePending(runId, current));
    }
  }

  async function flush(runId: string): Promise<void> {
    const file = files.get(runId);
    if (file) {
      writePending(runId, file);
      await file.chain;
      if (options.fsync && file.handle && !file.failure) {
        await (await file.handle).sync().catch((err: unknown) => fail(runId, file, err));
      }
      if (file.failure) throw file.failure;
      return;
    }
    const failure = failures.get(runId);
    if (failure) throw failure;
  }

  return {
    emit,
    flush,
    tracePath,
    traceUri(runId) {
      return isSafeRunId(runId) ? pathToFileURL(tracePath(runId)).href : undefined;
    },
    endRun(runId) {
      const file = files.get(runId);
      if (!file || file.ended) return;
      file.ended = true;
      closeFile(runId, file);
    },
    async close() {
      for (const [runId, file] of files) {
        if (!file.ended) {
          file.ended = true;
          closeFile(runId, file);
        }
      }
      await Promise.all([...files.values()].map((file) => file.chain));
    },
  };
}
