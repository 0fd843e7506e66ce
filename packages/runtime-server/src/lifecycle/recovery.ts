// Restart recovery: rebuilds the run index from the store. Finished runs are served as they
// are; runs accepted but never started are queued again; runs that had started end `failed`
// with `runtime.interrupted` (retryable) and their stream gets a closing `error` event.
import { arpError, isTerminalRunEventType, isTerminalRunState, type RunRequest } from '@arp-ts/sdk';
import type { Logger } from '@arp-ts/service-kit';
import type { RuntimeMetrics } from '../metrics.js';
import { saveRunEnd, type RunStore } from '../store/run-store.js';
import { failedResult, stateOfResult, terminalEventFor } from './outcomes.js';
import { RunEntry } from './run-entry.js';
import { isoTime } from '@arp-ts/runtime-core';

export interface RecoveryTarget {
  store: RunStore;
  logger: Logger;
  metrics: RuntimeMetrics;
  now: () => number;
  /** The runs this runtime recovers (a cluster shard's own); default: all. */
  owns?: (runId: string) => boolean;
  /** Takes a loaded run into the index. */
  adopt(entry: RunEntry): void;
  /** Queues a run again with its stored request. */
  requeue(entry: RunEntry, request: RunRequest): void;
}

export interface RecoveryReport {
  loaded: number;
  requeued: number;
  interrupted: number;
}

export async function recoverRuns(target: RecoveryTarget): Promise<RecoveryReport> {
  const records = await target.store.loadRecords(target.owns);
  const entries = records.map((r) => RunEntry.fromRecord(r));
  entries.sort((a, b) => a.createdMs - b.createdMs || (a.runId < b.runId ? -1 : 1));
  const report: RecoveryReport = { loaded: entries.length, requeued: 0, interrupted: 0 };
  for (const entry of entries) {
    target.adopt(entry);
    if (isTerminalRunState(entry.state)) continue;
    try {
      if ((await recoverUnfinished(target, entry)) === 'requeued') report.requeued++;
      else report.interrupted++;
    } catch (err) {
      target.logger.error('could not recover a run', { err, run_id: entry.runId });
    }
  }
  return report;
}

async function recoverUnfinished(
  target: RecoveryTarget,
  entry: RunEntry,
): Promise<'requeued' | 'ended'> {
  const { store } = target;
  // A result that outlived its status update: the run did finish.
  const result = await store.readResult(entry.runId);
  if (result) {
    entry.state = stateOfResult(result);
    if (entry.endedMs < 0) entry.endedMs = target.now();
    await store.saveRecord(entry.record());
    return 'ended';
  }
  let lastSeq = -1;
  let terminalOnDisk = false;
  for await (const event of store.readEvents(entry.runId)) {
    lastSeq = Math.max(lastSeq, event.seq);
    if (isTerminalRunEventType(event.type)) terminalOnDisk = true;
  }
  // Events on disk mean the run had started, whatever the status on disk says.
  const neverStarted = entry.state === 'queued' && lastSeq < 0;
  const request = neverStarted ? await store.readRequest(entry.runId) : undefined;
  if (request) {
    await store.resetLogs(entry.runId);
    target.requeue(entry, { ...request, run_id: entry.runId });
    return 'requeued';
  }
  const error = arpError(
    'runtime.interrupted',
    neverStarted
      ? 'the run could not be resumed after a restart (its request is missing)'
      : 'the runtime stopped while the run was executing',
    { retryable: true },
  );
  const endedMs = target.now();
  const failed = failedResult(entry.runId, error);
  if (!terminalOnDisk) {
    const time = isoTime(endedMs);
    await store.appendEvents(entry.runId, [
      terminalEventFor(entry.runId, lastSeq + 1, time, failed),
    ]);
  }
  entry.state = 'failed';
  entry.endedMs = endedMs;
  target.metrics.runEntered('failed');
  await saveRunEnd(store, failed, entry.record());
  return 'ended';
}
