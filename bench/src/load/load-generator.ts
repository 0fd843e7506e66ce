// A small closed-loop HTTP load generator on undici: `concurrency` connections, each with one
// request in flight at a time, until a fixed number of requests is done. Latencies come from
// hrtime around each request (send to last body byte); every answer is checked, so a figure
// made of errors is never reported as throughput.
import { Pool } from 'undici';
import { quantileSorted } from '../stats.js';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Says whether an answer is a success (status and body); failures are counted as errors. */
  check(statusCode: number, body: string): boolean;
}

export interface LoadOptions {
  /** Connections are reused across samples: a sample measures requests, not TCP handshakes. */
  pool: LoadPool;
  concurrency: number;
  requests: number;
  request: LoadRequest;
}

export interface LoadResult {
  concurrency: number;
  completed: number;
  errors: number;
  /** The first few error descriptions, to tell why a figure is invalid. */
  errorSamples: string[];
  durationMs: number;
  /** Successful requests per second over the whole sample. */
  throughput: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

const MAX_ERROR_SAMPLES = 5;

export interface LoadPool {
  readonly origin: string;
  readonly pool: Pool;
  close(): Promise<void>;
}

/** A keep-alive pool of `connections` sockets to `origin`, one request at a time on each. */
export function createLoadPool(origin: string, connections: number): LoadPool {
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 600_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  return { origin, pool, close: () => pool.close() };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { concurrency, requests, request } = options;
  const { pool, origin } = options.pool;
  const latencies = new Float64Array(requests);
  let next = 0;
  let recorded = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const noteError = (what: string): void => {
    errors++;
    if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(what.slice(0, 300));
  };

  const worker = async (): Promise<void> => {
    while (next < requests) {
      next++;
      const started = process.hrtime.bigint();
      try {
        const answer = await pool.request({
          origin,
          method: request.method,
          path: request.path,
          headers: request.headers,
          body: request.body,
        });
        const text = await answer.body.text();
        const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
        if (request.check(answer.statusCode, text)) latencies[recorded++] = elapsed;
        else noteError(`HTTP ${answer.statusCode}: ${text}`);
      } catch (err) {
        noteError(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
    }
  };

  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const sorted = latencies.subarray(0, recorded).sort();
  return {
    concurrency,
    completed: recorded,
    errors,
    errorSamples,
    durationMs,
    throughput: recorded / (durationMs / 1000),
    p50Ms: quantileSorted(sorted, 0.5),
    p90Ms: quantileSorted(sorted, 0.9),
    p99Ms: quantileSorted(sorted, 0.99),
    maxMs: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : NaN,
  };
}
