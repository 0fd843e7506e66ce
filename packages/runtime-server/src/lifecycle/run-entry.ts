// One run as the server keeps it in memory. Finished runs keep only these few fields (times as
// numbers, no request, no events, no result); a live run also holds a LiveRun.
import type { RunRequest, RunResult, RunState, RunStatus } from '@arp-ts/sdk';
import type { RunLog, RunRecord } from '../store/run-store.js';
import { isoTime } from '@arp-ts/runtime-core';

export interface LiveRun {
  request: RunRequest;
  controller: AbortController;
  /** Why the run is being stopped, once someone asked. */
  stopReason?: 'client' | 'shutdown';
  log?: RunLog;
  /** Seq of the last RunEvent published (-1 before the first). */
  lastSeq: number;
  terminalEventSent: boolean;
  /** Set when the run's request could not be stored: the run writes nothing. */
  abandoned?: boolean;
  /** Held until the result is written, so reads in between need no disk. */
  result?: RunResult;
  /** Resolves once the terminal status and result are written. */
  settled: Promise<void>;
  markSettled(): void;
}

export function newLiveRun(request: RunRequest): LiveRun {
  let markSettled = (): void => undefined;
  const settled = new Promise<void>((resolve) => {
    markSettled = resolve;
  });
  return {
    request,
    controller: new AbortController(),
    lastSeq: -1,
    terminalEventSent: false,
    settled,
    markSettled,
  };
}

const NO_TIME = -1;
const iso = (ms: number): string | undefined => (ms === NO_TIME ? undefined : isoTime(ms));
const ms = (text: string | undefined): number => {
  const parsed = text === undefined ? NaN : Date.parse(text);
  return Number.isNaN(parsed) ? NO_TIME : parsed;
};

export class RunEntry {
  state: RunState;
  startedMs: number;
  endedMs: number;
  live: LiveRun | undefined;

  constructor(
    readonly runId: string,
    readonly createdMs: number,
    readonly owner: string | undefined,
    state: RunState,
    startedMs = NO_TIME,
    endedMs = NO_TIME,
    /** Extensions found in a loaded status.json (rare); served back unchanged. */
    readonly extensions?: RunStatus['extensions'],
  ) {
    this.state = state;
    this.startedMs = startedMs;
    this.endedMs = endedMs;
  }

  static fromRecord(record: RunRecord): RunEntry {
    const s = record.status;
    return new RunEntry(
      s.run_id,
      ms(record.createdAt),
      record.owner,
      s.state,
      ms(s.started_at),
      ms(s.ended_at),
      s.extensions,
    );
  }

  get started(): boolean {
    return this.startedMs !== NO_TIME;
  }

  status(): RunStatus {
    const status: RunStatus = { run_id: this.runId, state: this.state };
    const started = iso(this.startedMs);
    const ended = iso(this.endedMs);
    if (started !== undefined) status.started_at = started;
    if (ended !== undefined) status.ended_at = ended;
    if (this.extensions !== undefined) status.extensions = this.extensions;
    return status;
  }

  record(): RunRecord {
    const record: RunRecord = {
      status: this.status(),
      createdAt: isoTime(Math.max(0, this.createdMs)),
    };
    if (this.owner !== undefined) record.owner = this.owner;
    return record;
  }

  /** True when `subject` may see this run (`undefined` = authentication is off). */
  visibleTo(subject: string | undefined): boolean {
    return subject === undefined || this.owner === subject;
  }
}
