// createRuntimeServer: wires the store, the run manager, the engine and the routes into an
// express app. Existing runs are loaded from the store before the app is returned.
import type { RequestListener } from 'node:http';
import type { Express, ErrorRequestHandler } from 'express';
import { validateRunRequest } from '@arp-ts/sdk';
import { createStubModels, runFlow } from '@arp-ts/runtime-core';
import {
  createBaseApp,
  createFastLane,
  createLogger,
  finishApp,
  sendError,
  type Logger,
} from '@arp-ts/service-kit';
import { peerListener } from './cluster/peer-requests.js';
import { createShardFront } from './cluster/shard-front.js';
import { ShardPeers } from './cluster/shard-peers.js';
import { ownedIdMinter } from './cluster/shards.js';
import { EventHub } from './events/event-hub.js';
import { HealthChecker } from './health.js';
import { createVerifier } from './http/auth.js';
import { fastRunsRoutes } from './http/fast-routes.js';
import { runHandlers } from './http/run-handlers.js';
import { runsRoutes } from './http/runs-routes.js';
import { serviceRoutes } from './http/service-routes.js';
import { RuntimeMetrics } from './metrics.js';
import { DEFAULTS, nonNegativeInt, type RuntimeServerOptions } from './options.js';
import { RunManager, type ExecuteRun } from './lifecycle/run-manager.js';
import { newRunId } from './run-id.js';
import { FileRunStore } from './store/file-store.js';
import type { RunStore } from './store/run-store.js';
import { DEFAULT_SERVICE_NAME, buildInfoFromEnv, versionInfo } from './version.js';

export interface RuntimeServer {
  /** Serves every route of the API (mount it, or add middleware in front of it). */
  app: Express;
  /**
   * The request listener to give `http.createServer`: creating runs, their status and results
   * are served without express (the fast lane, same answers at a fraction of the CPU); every
   * other request goes to `app`.
   */
  handler: RequestListener;
  /**
   * With `shard`: the listener of this shard's private listener, where the other shards send
   * requests about its runs (served here, never passed on).
   */
  peerHandler?: RequestListener;
  /**
   * Stops accepting runs (503 runtime.shutting_down), lets running runs finish within the grace
   * period, cancels the rest and writes their state. Queued runs stay queued for the next start.
   */
  close(): Promise<void>;
  /** Counters for tests and diagnostics. */
  stats(): RuntimeStats;
  /** The logger in use (the given one, or a JSON logger named after the service). */
  logger: Logger;
}

export interface RuntimeStats {
  runs: number;
  queueDepth: number;
  inFlight: number;
  liveStreams: number;
  liveRuns: number;
  /** Requests held by `Prefer: wait` or a cancel right now. */
  waiting: number;
}

function storeFor(options: RuntimeServerOptions, logger: Logger): RunStore {
  if (options.store) return options.store;
  if (!options.traceDir) throw new TypeError('createRuntimeServer needs traceDir (or a store)');
  return new FileRunStore({
    traceDir: options.traceDir,
    onError: (err, context) => logger.warn('a file store write failed', { err, ...context }),
  });
}

/** Turns an undecodable path parameter (e.g. `%zz`) into an ErrorEnvelope instead of a 500. */
const badPathParam: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (err instanceof URIError && !res.headersSent) {
    sendError(
      res,
      400,
      'request.invalid_run_id',
      'The run id in the path is not valid URL encoding.',
    );
    return;
  }
  next(err);
};

export async function createRuntimeServer(options: RuntimeServerOptions): Promise<RuntimeServer> {
  const serviceName = options.serviceName ?? DEFAULT_SERVICE_NAME;
  const logger = options.logger ?? createLogger({ name: serviceName });
  const store = storeFor(options, logger);
  await store.init();

  const models = options.models ?? createStubModels();
  const execute: ExecuteRun = (request, sinks, signal) =>
    runFlow(
      request,
      {
        toolRegistry: options.toolRegistry,
        models,
        events: sinks.events,
        trace: sinks.trace,
        redactPrompts: options.redactPrompts === true,
      },
      { signal },
    );

  const peers = options.shard ? new ShardPeers(options.shard) : undefined;
  const hub = new EventHub();
  const metrics = new RuntimeMetrics();
  const manager = new RunManager({
    store,
    execute,
    hub,
    metrics,
    logger,
    maxConcurrentRuns: Math.max(
      1,
      nonNegativeInt('maxConcurrentRuns', options.maxConcurrentRuns, DEFAULTS.maxConcurrentRuns),
    ),
    maxQueuedRuns: nonNegativeInt('maxQueuedRuns', options.maxQueuedRuns, DEFAULTS.maxQueuedRuns),
    resultCacheSize: nonNegativeInt('resultCacheSize', options.resultCacheSize, 64),
    ...(peers
      ? {
          mintRunId: ownedIdMinter(newRunId, peers.shard.index, peers.shard.count),
          owns: (runId: string) => peers.owns(runId),
        }
      : {}),
  });
  // Compile the request validator now rather than on the first POST.
  validateRunRequest(undefined);
  const recovered = await manager.recover();
  if (recovered.loaded > 0) logger.info('loaded runs from the store', { ...recovered });

  const health = new HealthChecker({
    toolRegistry: options.toolRegistry,
    store,
    queue: () => ({
      depth: manager.queueDepth,
      max: manager.maxQueuedRuns,
      inFlight: manager.inFlight,
    }),
    shuttingDown: () => manager.isShuttingDown,
    ...(options.healthCacheMs !== undefined ? { cacheMs: options.healthCacheMs } : {}),
    ...(options.healthTimeoutMs !== undefined ? { timeoutMs: options.healthTimeoutMs } : {}),
  });

  const limitBytes = nonNegativeInt(
    'bodyLimitBytes',
    options.bodyLimitBytes,
    DEFAULTS.bodyLimitBytes,
  );
  const app = createBaseApp({ logger, limitBytes });
  const verify = createVerifier(options.auth);
  const handlers = runHandlers({
    manager,
    ...(peers ? { peers } : {}),
    maxWaitSeconds: nonNegativeInt(
      'maxWaitSeconds',
      options.maxWaitSeconds,
      DEFAULTS.maxWaitSeconds,
    ),
  });
  app.use(
    serviceRoutes({
      health,
      version: versionInfo(serviceName, options.build ?? buildInfoFromEnv(process.env)),
      metrics: () =>
        metrics.render({ queueDepth: () => manager.queueDepth, inFlight: () => manager.inFlight }),
    }),
  );
  app.use(
    runsRoutes({
      manager,
      logger,
      handlers,
      ...(verify ? { verify } : {}),
      sse: {
        heartbeatMs: Math.max(
          1,
          nonNegativeInt('heartbeatMs', options.heartbeatMs, DEFAULTS.heartbeatMs),
        ),
        maxBufferedBytes: DEFAULTS.sseMaxBufferedBytes,
      },
    }),
  );
  app.use(badPathParam);
  finishApp(app, logger);
  const local = createFastLane({
    logger,
    limitBytes,
    routes: fastRunsRoutes({ handlers, logger, ...(verify ? { verify } : {}) }),
    fallback: app,
  });

  const graceMs = nonNegativeInt(
    'shutdownGraceMs',
    options.shutdownGraceMs,
    DEFAULTS.shutdownGraceMs,
  );
  let closing: Promise<void> | undefined;
  return {
    app,
    handler: peers ? createShardFront({ peers, local, logger }) : local,
    ...(peers ? { peerHandler: peerListener(local) } : {}),
    logger,
    close: () =>
      (closing ??= manager.close(graceMs).finally(() => {
        peers?.close();
      })),
    stats: () => ({
      runs: manager.runCount,
      queueDepth: manager.queueDepth,
      inFlight: manager.inFlight,
      liveStreams: hub.followerCount,
      liveRuns: hub.openChannels,
      waiting: manager.waiting,
    }),
  };
}
