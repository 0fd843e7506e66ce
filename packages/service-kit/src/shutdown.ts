import type { Logger } from './logger.js';

export interface ShutdownOptions {
  signals?: readonly NodeJS.Signals[];
  logger?: Logger;
  /** Called when shutdown completed (default: process.exit(0)); a failed shutdown exits 1. */
  exit?: (code: number) => void;
}

/**
 * Runs `shutdown` once on SIGTERM/SIGINT, then exits. A second signal while shutting down exits
 * at once with code 1, so an operator is never stuck. Returns a function that removes the hooks.
 */
export function onShutdownSignal(
  shutdown: (signal: NodeJS.Signals) => Promise<void>,
  options: ShutdownOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      options.logger?.warn('second signal: exiting now', { signal });
      exit(1);
      return;
    }
    shuttingDown = true;
    options.logger?.info('shutting down', { signal });
    shutdown(signal).then(
      () => exit(0),
      (err: unknown) => {
        options.logger?.error('shutdown failed', { err });
        exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
