// Typed client of the ARP v1 Runtime API.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/runtime.js';
import type {
  Health,
  RunEvent,
  RunList,
  RunRequest,
  RunResult,
  RunState,
  RunStatus,
  VersionInfo,
} from '../types.js';
import {
  validateHealth,
  validateRunList,
  validateRunResult,
  validateRunStatus,
  validateVersionInfo,
} from '../validation.js';
import { followRunEvents, type StreamRunEventsOptions } from '../sse/run-event-stream.js';
import { requireId } from './ids.js';
import { resolveClientOptions, type ClientOptions, type RequestOptions } from './options.js';
import { Transport } from './transport.js';

export interface CreateRunOptions extends RequestOptions {
  /**
   * Sends `Prefer: wait=N`: the server answers when the run ends or after N seconds. Unless a
   * timeoutMs is given for the call, its deadline grows to cover the wait.
   */
  waitSeconds?: number;
}

export interface ListRunsQuery {
  state?: RunState;
  pageSize?: number;
  pageToken?: string;
}

/** Slack on top of `Prefer: wait=N` for the server to answer after the wait. */
const WAIT_SLACK_MS = 5000;

export class RuntimeClient {
  private readonly transport: Transport;
  private readonly api: Client<paths>;

  constructor(options: ClientOptions) {
    this.transport = new Transport(resolveClientOptions(options));
    this.api = createClient<paths>({ baseUrl: this.transport.options.baseUrl });
  }

  async health(options?: RequestOptions): Promise<Health> {
    return this.transport.call(
      {
        operation: 'GET /v1/health',
        idempotent: true,
        payload: 'Health',
        validate: validateHealth,
        send: (init) => this.api.GET('/v1/health', init),
      },
      options,
    );
  }

  async version(options?: RequestOptions): Promise<VersionInfo> {
    return this.transport.call(
      {
        operation: 'GET /v1/version',
        idempotent: true,
        payload: 'VersionInfo',
        validate: validateVersionInfo,
        send: (init) => this.api.GET('/v1/version', init),
      },
      options,
    );
  }

  /** Submits a run. Not retried unless the connection was never established. */
  async createRun(request: RunRequest, options?: CreateRunOptions): Promise<RunStatus> {
    const wait = options?.waitSeconds;
    if (wait !== undefined && (!Number.isInteger(wait) || wait < 0)) {
      throw new RangeError(`waitSeconds must be a non-negative integer, got ${wait}`);
    }
    const timeoutMs =
      options?.timeoutMs ??
      (wait === undefined
        ? undefined
        : Math.max(this.transport.options.timeoutMs, wait * 1000 + WAIT_SLACK_MS));
    return this.transport.call(
      {
        operation: 'POST /v1/runs',
        idempotent: false,
        payload: 'RunStatus',
        validate: validateRunStatus,
        send: (init) =>
          this.api.POST('/v1/runs', {
            ...init,
            body: request,
            params: { header: wait === undefined ? {} : { Prefer: `wait=${wait}` } },
          }),
      },
      options,
      timeoutMs,
    );
  }

  async getRunStatus(runId: string, options?: RequestOptions): Promise<RunStatus> {
    requireId('runId', runId);
    return this.transport.call(
      {
        operation: 'GET /v1/runs/{run_id}',
        idempotent: true,
        payload: 'RunStatus',
        validate: validateRunStatus,
        send: (init) =>
          this.api.GET('/v1/runs/{run_id}', { ...init, params: { path: { run_id: runId } } }),
      },
      options,
    );
  }

  /** The result of a terminal run; a run still going answers ArpApiError 409 `run.not_finished`. */
  async getRunResult(runId: string, options?: RequestOptions): Promise<RunResult> {
    requireId('runId', runId);
    return this.transport.call(
      {
        operation: 'GET /v1/runs/{run_id}/result',
        idempotent: true,
        payload: 'RunResult',
        validate: validateRunResult,
        send: (init) =>
          this.api.GET('/v1/runs/{run_id}/result', {
            ...init,
            params: { path: { run_id: runId } },
          }),
      },
      options,
    );
  }

  async cancelRun(runId: string, options?: RequestOptions): Promise<RunStatus> {
    requireId('runId', runId);
    return this.transport.call(
      {
        operation: 'POST /v1/runs/{run_id}:cancel',
        idempotent: false,
        payload: 'RunStatus',
        validate: validateRunStatus,
        send: (init) =>
          this.api.POST('/v1/runs/{run_id}:cancel', {
            ...init,
            params: { path: { run_id: runId } },
          }),
      },
      options,
    );
  }

  /** One page of runs, newest first (an extension of this implementation). */
  async listRuns(query: ListRunsQuery = {}, options?: RequestOptions): Promise<RunList> {
    return this.transport.call(
      {
        operation: 'GET /v1/runs',
        idempotent: true,
        payload: 'RunList',
        validate: validateRunList,
        send: (init) =>
          this.api.GET('/v1/runs', {
            ...init,
            params: {
              query: {
                ...(query.state !== undefined ? { state: query.state } : {}),
                ...(query.pageSize !== undefined ? { page_size: query.pageSize } : {}),
                ...(query.pageToken !== undefined ? { page_token: query.pageToken } : {}),
              },
            },
          }),
      },
      options,
    );
  }

  /**
   * The run's events as they happen, ending after the terminal one (`final` or `error`).
   * A dropped connection is resumed with Last-Event-ID; no seq is yielded twice. Leaving the
   * loop early closes the connection. Nothing is requested until iteration starts.
   */
  streamRunEvents(runId: string, options?: StreamRunEventsOptions): AsyncIterable<RunEvent> {
    requireId('runId', runId);
    const from = options?.lastEventId;
    if (from !== undefined && (!Number.isInteger(from) || from < 0)) {
      throw new RangeError(`lastEventId must be a non-negative integer (a seq), got ${from}`);
    }
    return followRunEvents(
      this.transport,
      (init, lastEventId) =>
        this.api.GET('/v1/runs/{run_id}/events', {
          ...init,
          parseAs: 'stream',
          params: {
            path: { run_id: runId },
            header: lastEventId === undefined ? {} : { 'Last-Event-ID': lastEventId },
          },
        }),
      runId,
      options,
    );
  }
}
