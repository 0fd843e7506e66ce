// Defaults for the optional ports of FlowDeps.
import { randomUUID } from 'node:crypto';
import type { Clock, IdSource } from '../ports.js';

export const systemClock: Clock = { now: () => Date.now() };

export const randomIds: IdSource = {
  runId: () => `run_${randomUUID()}`,
  invocationId: () => `inv_${randomUUID()}`,
};

/** Waits ms, or less when the signal aborts (then resolves; the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
