// The lifecycle of runs: admission, the queue and worker pool, execution through the engine,
// cancellation, persistence, restart recovery and shutdown. HTTP-free; the routes call into it.
import {
  arpError,
  isTerminalRunEventType,
  isTerminalRunState,
  type RunEvent,
  type RunRequest,
  type RunResult,
  type RunState,
  type RunStatus,
  type TraceEvent,
} from '@arp-ts/sdk';
import { HttpError, type Logger } from '@arp-ts/service-kit';
import type { EventFollower, EventHub } from '../events/event-hub.js';
import type { RuntimeMetrics } from '../metrics.js';
import { newRunId } from '../run-id.js';
import { saveRunEnd, type RunStore } from '../store/run-store.js';
import { LruCache } from './lru.js';
import { RunEntry, newLiveRun, type LiveRun } from './run-entry.js';
import { failedResult, terminalEventFor } from './outcomes.js';
import { recoverRuns, type RecoveryReport } from './recovery.js';
import { RunIndex, encodePageToken, type ListQuery } from './run-index.js';
import { WorkPool } from './work-pool.js';
import { isoTime } from '@arp-ts/runtime-core';

/** Where a run's engine sends what it produces. */
export interface RunSinks {
  events: { emit(event: RunEvent): void };
  trace: {
    emit(event: TraceEvent): void;
    flush(runId: string): Promise<void>;
    traceUri(runId: string): string | undefined;
  };
}

/** Runs one request to its end; never rejects for a run's own failure (runFlow's contract). */
export type ExecuteRun = (
  request: RunRequest,
  sinks: RunSinks,
  signal: AbortSignal,
) => Promise<{ status: RunStatus; result: RunResult }>;

export interface RunManagerOptions {
  store: RunStore;
  execute: ExecuteRun;
  hub: EventHub;
  metrics: RuntimeMetrics;
  logger: Logger;
  maxConcurrentRuns: number;
  maxQueuedRuns: number;
  /** Finished results kept in memory for fast reads. */
  resultCacheSize?: number;
  /** How long a cancel request waits for a running run to stop. */
  cancelWaitMs?: number;
  now?: () => number;
  /** New run ids (default newRunId; a cluster shard mints ids it owns). */
  mintRunId?: () => string;
  /** The stored runs this manager recovers (a cluster shard's own); default: all. */
  owns?: (runId: string) => boolean;
}

/** Something that says when it is gone (an HTTP response). */
export interface Closable {
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

export interface Submitted {
  entry: RunEntry;
  /** The run's status when it was admitted. */
  admitted: RunStatus;
}

export interface SubmitOptions {
  /** `sub` of the caller when authentication is on. */
  owner?: string;
}

/** A run still running after this long gets its `running` status written. */
const RUNNING_STATUS_DELAY_MS = 25;

/** How long shutdown waits for canceled runs to stop after the grace period. */
const STOP_WAIT_MS = 5_000;

const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

const notFound = (runId: string): HttpError =>
  new HttpError(404, 'run.not_found', `No run with id ${runId}.`, { run_id: runId });

export class RunManager {
  private readonly index = new RunIndex();
  private readonly pending = new Set<string>();
  private readonly pool: WorkPool<RunEntry>;
  private readonly results: LruCache<string, RunResult>;
  private readonly now: () => number;
  private readonly mintRunId: () => string;
  private shuttingDown = false;
  /** Requests waiting for a run to end (Prefer: wait, cancel), released at shutdown. */
  private readonly waiters = new Set<() => void>();

  constructor(private readonly options: RunManagerOptions) {
    this.now = options.now ?? Date.now;
    this.mintRunId = options.mintRunId ?? newRunId;
    this.results = new LruCache(options.resultCacheSize ?? 64);
    this.pool = new WorkPool<RunEntry>({
      maxConcurrent: options.maxConcurrentRuns,
      maxQueued: options.maxQueuedRuns,
      work: (entry) => this.execute(entry),
      onError: (err, entry) =>
        options.logger.error('run worker failed', { err, run_id: entry.runId }),
    });
  }

  get queueDepth(): number {
    return this.pool.queued;
  }

  get inFlight(): number {
    return this.pool.running;
  }

  get maxQueuedRuns(): number {
    return this.pool.maxQueued;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Requests waiting for a run to end right now. */
  get waiting(): number {
    return this.waiters.size;
  }

  get runCount(): number {
    return this.index.size;
  }

  // ---- admission ---------------------------------------------------------------------------

  /**
   * Accepts a run whose run_id, if any, is safe: checks it is new, reserves room, persists it
   * (the store's createRun), queues it.
   * Resolves once the request is stored, with the run and its status when it was admitted
   * (`queued` or `running`: what an asynchronous answer reports, even if the run has ended since).
   */
  async submit(request: RunRequest, options: SubmitOptions = {}): Promise<Submitted> {
    // A client's run_id was checked at the HTTP boundary (runHandlers.create).
    const runId = request.run_id ?? this.mintRunId();
    if (this.shuttingDown) throw this.shuttingDownError();
    if (this.index.has(runId) || this.pending.has(runId)) {
      throw new HttpError(409, 'run.already_exists', `A run with id ${runId} exists already.`, {
        run_id: runId,
      });
    }
    if (!this.pool.reserve()) {
      throw new HttpError(
        429,
        'runtime.overloaded',
        'The run queue is full; try again later.',
        { max_queued_runs: this.pool.maxQueued },
        { 'Retry-After': '1' },
      );
    }
    const createdMs = Math.max(this.now(), this.index.newestCreatedMs);
    const entry = new RunEntry(runId, createdMs, options.owner, 'queued');
    const accepted: RunRequest = { ...request, run_id: runId };
    const { store } = this.options;
    if (store.writesInOrder) {
      // The run's later writes cannot overtake its request, so it starts at once; only the
      // caller's answer waits until the request is stored. A stub run then ends within the same
      // turn, and its request, logs, result and status go to disk in one batch.
      const stored = store.createRun(entry.record(), accepted);
      const admitted = this.admit(entry, accepted);
      try {
        await stored;
      } catch (err) {
        this.abandon(entry);
        throw this.notStored(runId, err);
      }
      return { entry, admitted };
    }
    this.pending.add(runId);
    try {
      await store.createRun(entry.record(), accepted);
    } catch (err) {
      this.pool.release();
      throw this.notStored(runId, err);
    } finally {
      this.pending.delete(runId);
    }
    return { entry, admitted: this.admit(entry, accepted) };
  }

  /** Makes an accepted run known (index, event hub, metrics), hands it to the pool. */
  private admit(entry: RunEntry, request: RunRequest): RunStatus {
    entry.live = newLiveRun(request);
    this.index.add(entry);
    this.options.hub.open(entry.runId);
    this.options.metrics.runEntered('queued');
    this.pool.add(entry);
    return entry.status();
  }

  private notStored(runId: string, err: unknown): HttpError {
    this.options.logger.error('could not persist a new run', { err, run_id: runId });
    return new HttpError(500, 'runtime.internal_error', 'The run could not be stored.', {
      run_id: runId,
    });
  }

  /**
   * Undoes the admission of a run whose request could not be stored: it is stopped, forgotten
   * (404 from now on) and writes nothing more, so a restart never finds a run nobody accepted.
   */
  private abandon(entry: RunEntry): void {
    this.index.remove(entry);
    const live = entry.live;
    if (!live) return;
    live.abandoned = true;
    if (this.pool.remove(entry)) {
      live.markSettled();
      this.options.hub.release(entry.runId);
      entry.live = undefined;
      return;
    }
    live.stopReason ??= 'client';
    live.controller.abort();
  }

  // ---- reads --------------------------------------------------------------------------------

  /** The run, when it exists and `subject` may see it. */
  get(runId: string, subject: string | undefined): RunEntry {
    const entry = this.index.get(runId);
    if (!entry || !entry.visibleTo(subject)) throw notFound(runId);
    return entry;
  }

  async result(runId: string, subject: string | undefined): Promise<RunResult> {
    const entry = this.get(runId, subject);
    if (!isTerminalRunState(entry.state)) {
      throw new HttpError(409, 'run.not_finished', `Run ${runId} has not finished yet.`, {
        run_id: runId,
        state: entry.state,
      });
    }
    const held = entry.live?.result ?? this.results.get(runId);
    if (held) return held;
    const stored = await this.options.store.readResult(runId);
    if (!stored) {
      throw new HttpError(500, 'runtime.internal_error', `The result of run ${runId} is missing.`, {
        run_id: runId,
      });
    }
    this.results.set(runId, stored);
    return stored;
  }

  /** A page of runs, newest first; with `withCursors`, the page token of each run too. */
  list(
    query: ListQuery,
    withCursors = false,
  ): { runs: RunStatus[]; nextPageToken?: string; cursors?: string[] } {
    const page = this.index.list(query);
    const listed: { runs: RunStatus[]; nextPageToken?: string; cursors?: string[] } = {
      runs: page.runs.map((e) => e.status()),
    };
    if (page.nextPageToken !== undefined) listed.nextPageToken = page.nextPageToken;
    if (withCursors) listed.cursors = page.runs.map((e) => encodePageToken(e));
    return listed;
  }

  /**
   * Streams the run's events after `afterSeq` to `follower`: from memory while the run is live,
   * from the store once it is not. Returns a function that stops following.
   */
  async follow(
    entry: RunEntry,
    afterSeq: number,
    follower: EventFollower,
    isClosed: () => boolean,
  ): Promise<() => void> {
    const stop = this.options.hub.follow(entry.runId, afterSeq, follower);
    if (stop) return stop;
    for await (const event of this.options.store.readEvents(entry.runId, afterSeq)) {
      if (isClosed()) break;
      follower.send(event);
    }
    follower.end();
    return () => undefined;
  }

  /**
   * Resolves when the run has ended (and is written), after `ms`, at shutdown, or when `client`
   * (the waiting response) closes.
   */
  async waitForEnd(entry: RunEntry, ms: number, client?: Closable): Promise<void> {
    const live = entry.live;
    if (!live || ms <= 0 || this.shuttingDown) return;
    // No Promise.race with a long-lived promise: each race would leave a reaction on it forever.
    let release = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const timer = setTimeout(release, ms);
    void live.settled.then(release);
    client?.once('close', release);
    this.waiters.add(release);
    try {
      await done;
    } finally {
      clearTimeout(timer);
      client?.off('close', release);
      this.waiters.delete(release);
    }
  }

  // ---- cancel -------------------------------------------------------------------------------

  /** Cancels a queued or running run; see the API docs for the answers. */
  async cancel(runId: string, subject: string | undefined): Promise<RunStatus> {
    const entry = this.get(runId, subject);
    if (entry.state === 'canceled') return entry.status();
    if (isTerminalRunState(entry.state)) throw this.alreadyTerminal(entry);
    const live = entry.live;
    if (!live) return entry.status();
    live.stopReason ??= 'client';
    if (this.pool.remove(entry)) {
      await this.cancelBeforeStart(entry, live);
    } else {
      live.controller.abort();
      await this.waitForEnd(entry, this.options.cancelWaitMs ?? 10_000);
    }
    const after = entry.status();
    if (after.state === 'canceled' || !isTerminalRunState(after.state)) return after;
    // The run ended on its own before the cancel took effect.
    throw this.alreadyTerminal(entry);
  }

  private alreadyTerminal(entry: RunEntry): HttpError {
    return new HttpError(
      409,
      'run.already_terminal',
      `Run ${entry.runId} has already ended (${entry.state}).`,
      { run_id: entry.runId, state: entry.state },
    );
  }

  private shuttingDownError(): HttpError {
    return new HttpError(
      503,
      'runtime.shutting_down',
      'The runtime is shutting down and accepts no new runs.',
      undefined,
      { 'Retry-After': '5' },
    );
  }

  /** A queued run that never started: it ends canceled with a single `error` event. */
  private async cancelBeforeStart(entry: RunEntry, live: LiveRun): Promise<void> {
    const error = arpError('run.canceled', 'the run was canceled before it started');
    const result = failedResult(entry.runId, error);
    await this.finish(entry, live, 'canceled', result);
  }

  // ---- execution ----------------------------------------------------------------------------

  private async execute(entry: RunEntry): Promise<void> {
    const live = entry.live;
    if (!live || isTerminalRunState(entry.state)) return;
    if (live.controller.signal.aborted) {
      await this.cancelBeforeStart(entry, live);
      return;
    }
    const { store, logger } = this.options;
    entry.state = 'running';
    entry.startedMs = this.now();
    this.options.metrics.runEntered('running');
    // Most runs end within milliseconds: their `running` status would be overwritten at once, so
    // it is only written for runs still going after a moment (recovery tells a started run by
    // its events anyway).
    const runningWrite = setTimeout(() => {
      if (entry.state !== 'running') return;
      store.saveRecord(entry.record()).catch((err: unknown) => {
        logger.warn('could not write a running status', { err, run_id: entry.runId });
      });
    }, RUNNING_STATUS_DELAY_MS);
    runningWrite.unref();
    const log = store.openLog(entry.runId);
    live.log = log;
    const sinks: RunSinks = {
      events: { emit: (event) => this.publish(entry, live, event) },
      trace: {
        emit: (event) => log.appendTrace(event),
        flush: () => log.flush(),
        traceUri: (runId) => store.traceUri?.(runId),
      },
    };
    let state: RunState;
    let result: RunResult;
    try {
      const outcome = await this.options.execute(live.request, sinks, live.controller.signal);
      state = outcome.status.state;
      result = { ...outcome.result, run_id: entry.runId };
      if (!isTerminalRunState(state)) {
        state = 'failed';
        result = failedResult(
          entry.runId,
          arpError(
            'runtime.internal_error',
            `the engine ended the run in state ${outcome.status.state}`,
          ),
        );
      }
    } catch (err) {
      logger.error('the engine failed', { err, run_id: entry.runId });
      state = 'failed';
      result = failedResult(entry.runId, arpError('runtime.internal_error', 'the engine failed'));
    }
    clearTimeout(runningWrite);
    if (state === 'canceled' && live.stopReason === 'shutdown' && result.error) {
      result = {
        ...result,
        error: { ...result.error, details: { ...result.error.details, reason: 'shutdown' } },
      };
    }
    await this.finish(entry, live, state, result);
  }

  private publish(entry: RunEntry, live: LiveRun, event: RunEvent): void {
    if (live.terminalEventSent || event.run_id !== entry.runId) return;
    live.lastSeq = event.seq;
    if (isTerminalRunEventType(event.type)) live.terminalEventSent = true;
    if (event.type === 'tool_result') this.options.metrics.toolInvocation(event.data?.ok === true);
    live.log?.appendEvent(event);
    this.options.hub.publish(event);
  }

  /**
   * Ends a run: the terminal event (when the engine sent none), result then status on disk (in
   * that order, so a terminal status always has its result), waiters released, memory freed.
   */
  private async finish(
    entry: RunEntry,
    live: LiveRun,
    state: RunState,
    result: RunResult,
  ): Promise<void> {
    const { logger, metrics, hub } = this.options;
    const endedMs = this.now();
    const time = isoTime(endedMs);
    let synthetic: RunEvent | undefined;
    if (!live.terminalEventSent) {
      synthetic = terminalEventFor(entry.runId, live.lastSeq + 1, time, result);
      live.terminalEventSent = true;
      live.lastSeq = synthetic.seq;
      hub.publish(synthetic);
      if (live.log) live.log.appendEvent(synthetic);
    }
    entry.state = state;
    entry.endedMs = endedMs;
    live.result = result;
    metrics.runEntered(state);
    if (entry.started) metrics.runDuration((endedMs - entry.startedMs) / 1000);
    // A run whose request could not be stored writes nothing, so a restart never finds it.
    if (!live.abandoned) {
      // The logs go first, so a terminal status on disk always has its complete logs: an
      // in-order store takes the lines ahead of the result and status without a wait.
      const logged = live.log?.flush();
      if (!this.options.store.writesInOrder) await logged;
      await this.persistEnd(entry, result, synthetic && !live.log ? synthetic : undefined);
    }
    live.markSettled();
    logger.debug('run ended', {
      run_id: entry.runId,
      state,
      duration_ms: entry.started ? endedMs - entry.startedMs : 0,
    });
    await live.log?.close();
    hub.release(entry.runId);
    this.results.set(entry.runId, result);
    entry.live = undefined;
  }

  /** The end of a run on disk: a terminal event of a run without a log, the result, the status. */
  private async persistEnd(
    entry: RunEntry,
    result: RunResult,
    unloggedEvent: RunEvent | undefined,
  ): Promise<void> {
    const { store, logger } = this.options;
    try {
      if (unloggedEvent) await store.appendEvents(entry.runId, [unloggedEvent]);
      await saveRunEnd(store, result, entry.record());
    } catch (err) {
      logger.error('could not write the end of a run', { err, run_id: entry.runId });
    }
  }

  // ---- restart ------------------------------------------------------------------------------

  /**
   * Loads the runs of the store: finished runs are served as they are, queued runs are queued
   * again, runs that were running end `failed` with `runtime.interrupted` (retryable).
   */
  recover(): Promise<RecoveryReport> {
    return recoverRuns({
      store: this.options.store,
      logger: this.options.logger,
      metrics: this.options.metrics,
      now: this.now,
      ...(this.options.owns ? { owns: this.options.owns } : {}),
      adopt: (entry) => this.index.add(entry),
      requeue: (entry, request) => {
        entry.live = newLiveRun(request);
        this.options.hub.open(entry.runId);
        this.pool.enqueue(entry);
      },
    });
  }

  // ---- shutdown -----------------------------------------------------------------------------

  /**
   * Stops accepting runs and starting queued ones; running runs get `graceMs` to finish, then
   * are canceled and their state written. Queued runs stay queued on disk and resume on the next
   * start. Open streams and waiting requests are released.
   */
  async close(graceMs: number): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.pool.pause();
    const { logger } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const finished = await Promise.race([this.pool.idle().then(() => 'idle' as const), graceOver]);
    clearTimeout(timer);
    if (finished === 'timeout') {
      const running = [...this.index.values()].filter((e) => e.state === 'running' && e.live);
      logger.warn('grace period over: canceling running runs', { count: running.length });
      for (const entry of running) {
        if (entry.live) {
          entry.live.stopReason ??= 'shutdown';
          entry.live.controller.abort();
        }
      }
      // Bounded: an engine that ignores its signal must not hold the process; such a run stays
      // `running` on disk and ends `runtime.interrupted` on the next start.
      await Promise.race([this.pool.idle(), delay(STOP_WAIT_MS)]);
    }
    for (const release of this.waiters) release();
    this.options.hub.releaseAll();
    await this.options.store.close();
  }
}
