// `serve --workers <n>`: the primary process starts the runtime cluster and prints the one
// `listening on` line; node:cluster re-runs this same command line in each worker, which builds
// the very runtime options the single server would and serves its shard until the primary stops it.
import type { CommandContext } from '../command.js';
import { createModels } from '../deps.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  failure,
  formatError,
  isPortInUse,
  portInUseFailure,
} from '../errors.js';
import { writeLine } from '../io.js';
import { buildRuntimeOptions, type ServeSettings } from './settings.js';

function messageOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // The cluster quotes a worker's error as `String(err)`: drop the class name it adds.
  return message.replace(/:\s*(?:[A-Z]\w*)?Error: /, ': ');
}

/** In the primary: starts the workers, prints the URL, stops them all on SIGTERM/SIGINT. */
export async function serveCluster(settings: ServeSettings, ctx: CommandContext): Promise<number> {
  // Checked once here, so a bad model configuration is one usage error rather than a start
  // failure in every worker.
  await createModels(settings.mode, ctx.env);
  const { startRuntimeCluster } = await import('@arp-ts/runtime-server');
  const { listen, workers } = settings;
  let cluster;
  try {
    // The primary logs as the single server does: JSON lines on stderr, LOG_LEVEL.
    cluster = await startRuntimeCluster({ workers, ...listen });
  } catch (err) {
    if (isPortInUse(err)) throw portInUseFailure(listen.host, listen.port);
    throw failure(
      `the runtime workers did not start: ${messageOf(err)}`,
      'the log lines above say more; --workers 1 runs the same server in one process',
    );
  }
  writeLine(ctx.io.stdout, `ARP Runtime listening on ${cluster.url} (${workers} workers)`);
  await ctx.io.waitForShutdown();
  await cluster.close();
  return EXIT_OK;
}

/**
 * In a worker: serves this process's shard until the primary stops it. Prints nothing on stdout;
 * a failure to start is reported once, by the primary, unless no primary is listening.
 */
export async function serveAsWorker(
  settings: ServeSettings,
  ctx: CommandContext,
  verbose: boolean,
): Promise<number> {
  const options = await buildRuntimeOptions(settings, ctx.env);
  const { startRuntimeWorker } = await import('@arp-ts/runtime-server');
  let worker;
  try {
    worker = await startRuntimeWorker(options);
  } catch (err) {
    if (verbose || !process.connected) {
      for (const line of formatError(err, verbose)) {
        writeLine(ctx.io.stderr, `worker ${process.pid}: ${line}`);
      }
    }
    return EXIT_FAILURE;
  }
  await worker.stopped;
  return EXIT_OK;
}
