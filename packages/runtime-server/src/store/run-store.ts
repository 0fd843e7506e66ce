// The RunStore port: where runs live between requests and across restarts. The file store is the
// embedded default; the memory store serves tests and ephemeral use.
import type { RunEvent, RunRequest, RunResult, RunStatus, TraceEvent } from '@arp-ts/sdk';

/** What the runtime keeps about a run besides its request, result and logs. */
export interface RunRecord {
  /** The public status, exactly as served. */
  status: RunStatus;
  /** `sub` of the creator when authentication is on. */
  owner?: string;
  /** When the run was accepted (ISO 8601); orders listings. */
  createdAt: string;
}

/** Appends a run's RunEvents and TraceEvents. Appends never throw; failures are reported. */
export interface RunLog {
  appendEvent(event: RunEvent): void;
  appendTrace(event: TraceEvent): void;
  /** Resolves once everything appended so far has been handed to the OS. */
  flush(): Promise<void>;
  /** Flushes and releases the files; later appends are dropped. */
  close(): Promise<void>;
}

export interface RunStore {
  /**
   * True while every write completes after all writes asked for before it. The runtime then
   * starts a run without waiting for createRun (its later writes cannot overtake the request),
   * and only the answer to the client waits for it.
   */
  readonly writesInOrder?: boolean;
  /** Prepares the store (creates the trace dir). */
  init(): Promise<void>;
  /**
   * Every run the store holds (or those `owns` accepts: a cluster shard's own), for recovery on
   * start. Unreadable runs are skipped.
   */
  loadRecords(owns?: (runId: string) => boolean): Promise<RunRecord[]>;
  /** Persists an accepted run; resolves once recovery would find it. */
  createRun(record: RunRecord, request: RunRequest): Promise<void>;
  /** Persists a newer record; concurrent saves of one run may coalesce to the latest. */
  saveRecord(record: RunRecord): Promise<void>;
  saveResult(result: RunResult): Promise<void>;
  /**
   * Optional: persists a finished run's result and its terminal record together. A terminal
   * status must never be on disk without its result; a store that can order the two writes
   * itself saves the caller a round trip. Without it, the caller awaits saveResult, then
   * saveRecord.
   */
  saveEnd?(result: RunResult, record: RunRecord): Promise<void>;
  readRequest(runId: string): Promise<RunRequest | undefined>;
  readResult(runId: string): Promise<RunResult | undefined>;
  /** The run's RunEvents with seq greater than `afterSeq`, in order. */
  readEvents(runId: string, afterSeq?: number): AsyncIterable<RunEvent>;
  openLog(runId: string): RunLog;
  /** Appends events outside a live run (a cancelled queued run, an interrupted one); written once it resolves. */
  appendEvents(runId: string, events: readonly RunEvent[]): Promise<void>;
  /** Drops a run's events and trace (a re-queued run starts over). */
  resetLogs(runId: string): Promise<void>;
  /** Where a run's trace can be read (RunResult.artifacts), when the store can say. */
  traceUri?(runId: string): string | undefined;
  /** Throws when the store cannot take writes. */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/** A finished run's result, then its terminal record: in one go when the store can (saveEnd). */
export async function saveRunEnd(
  store: RunStore,
  result: RunResult,
  record: RunRecord,
): Promise<void> {
  if (store.saveEnd) return store.saveEnd(result, record);
  await store.saveResult(result);
  await store.saveRecord(record);
}
