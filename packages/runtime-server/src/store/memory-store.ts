// A RunStore that keeps everything in memory: for tests and throwaway servers. Nothing survives
// the process, and memory grows with every run.
import type { RunEvent, RunRequest, RunResult, TraceEvent } from '@arp-ts/sdk';
import type { RunLog, RunRecord, RunStore } from './run-store.js';

interface StoredRun {
  record: RunRecord;
  request: RunRequest;
  result?: RunResult;
  events: RunEvent[];
  trace: TraceEvent[];
}

const clone = <T>(value: T): T => structuredClone(value);

export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, StoredRun>();
  /** Every write happens at once, in call order. */
  get writesInOrder(): boolean {
    return true;
  }

  async init(): Promise<void> {}

  async loadRecords(owns: (runId: string) => boolean = () => true): Promise<RunRecord[]> {
    const kept = [...this.runs.values()].filter((r) => owns(r.record.status.run_id));
    return kept.map((r) => clone(r.record));
  }

  async createRun(record: RunRecord, request: RunRequest): Promise<void> {
    this.runs.set(record.status.run_id, {
      record: clone(record),
      request: clone(request),
      events: [],
      trace: [],
    });
  }

  async saveRecord(record: RunRecord): Promise<void> {
    const run = this.runs.get(record.status.run_id);
    if (run) run.record = clone(record);
  }

  async saveResult(result: RunResult): Promise<void> {
    const run = this.runs.get(result.run_id);
    if (run) run.result = clone(result);
  }

  async readRequest(runId: string): Promise<RunRequest | undefined> {
    const run = this.runs.get(runId);
    return run && clone(run.request);
  }

  async readResult(runId: string): Promise<RunResult | undefined> {
    const result = this.runs.get(runId)?.result;
    return result && clone(result);
  }

  async *readEvents(runId: string, afterSeq = -1): AsyncIterable<RunEvent> {
    for (const event of this.runs.get(runId)?.events ?? []) {
      if (event.seq > afterSeq) yield clone(event);
    }
  }

  /** The trace of a run (tests). */
  traceOf(runId: string): TraceEvent[] {
    return clone(this.runs.get(runId)?.trace ?? []);
  }

  openLog(runId: string): RunLog {
    let closed = false;
    return {
      appendEvent: (event) => {
        if (!closed) this.runs.get(runId)?.events.push(clone(event));
      },
      appendTrace: (event) => {
        if (!closed) this.runs.get(runId)?.trace.push(clone(event));
      },
      flush: async () => {},
      close: async () => {
        closed = true;
      },
    };
  }

  async appendEvents(runId: string, events: readonly RunEvent[]): Promise<void> {
    this.runs.get(runId)?.events.push(...events.map(clone));
  }

  async resetLogs(runId: string): Promise<void> {
    const run = this.runs.get(runId);
    if (run) {
      run.events = [];
      run.trace = [];
    }
  }

  async probe(): Promise<void> {}

  async close(): Promise<void> {}
}
