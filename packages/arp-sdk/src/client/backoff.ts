// Exponential backoff with jitter, Retry-After parsing and an abortable sleep.
import type { RetryOptions } from './options.js';

/**
 * Delay before attempt `attempt + 1`: the exponential step base * 2^(attempt-1), capped at
 * maxDelayMs, of which a random half is jitter ("equal jitter"), so that clients failing
 * together do not retry together yet always wait a little.
 */
export function backoffDelay(
  attempt: number,
  retry: Required<Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>>,
  random: () => number = Math.random,
): number {
  const step = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
