// `arp-runtime serve`: the ARP Runtime HTTP API (runtime-server) with this CLI's configuration.
// Prints exactly `ARP Runtime listening on http://HOST:PORT` on stdout once it accepts
// connections (followed by ` (N workers)` when --workers runs a cluster); SIGTERM/SIGINT shut it
// down gracefully (exit 0).
import { booleanFlag, type ParsedFlags } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { ENV, MAX_WORKERS } from '../config.js';
import { EXIT_OK, isPortInUse, portInUseFailure } from '../errors.js';
import { modelFlags, toolRegistryFlags, traceFlags } from '../flags.js';
import { OPENAI_NOTE } from '../help.js';
import { writeLine } from '../io.js';
import { serveAsWorker, serveCluster } from '../serve/cluster.js';
import {
  DEFAULT_RUNTIME_HOST,
  DEFAULT_RUNTIME_PORT,
  buildRuntimeOptions,
  resolveServeSettings,
  type ServeSettings,
} from '../serve/settings.js';

const flags = {
  host: {
    type: 'string',
    value: '<host>',
    description: 'Interface to bind.',
    env: ENV.runtimeHost,
    defaultText: DEFAULT_RUNTIME_HOST,
  },
  port: {
    type: 'string',
    value: '<port>',
    description: 'Port to bind; 0 picks a free one. A taken default port falls back to a free one.',
    env: ENV.runtimePort,
    defaultText: String(DEFAULT_RUNTIME_PORT),
  },
  'auto-port': {
    type: 'boolean',
    description: 'Fall back to a free port when an explicit --port is taken.',
  },
  workers: {
    type: 'string',
    value: '<n|auto>',
    description: `Runtime processes sharing the port, 1 to ${MAX_WORKERS}; auto is one per CPU core.`,
    env: ENV.runtimeWorkers,
    defaultText: '1',
  },
  'max-concurrent-runs': {
    type: 'string',
    value: '<n>',
    description: 'Runs executed at the same time.',
    env: ENV.maxConcurrentRuns,
    defaultText: '64',
  },
  'max-queued-runs': {
    type: 'string',
    value: '<n>',
    description: 'Runs waiting for a worker; beyond it POST /v1/runs answers 429.',
    env: ENV.maxQueuedRuns,
    defaultText: '10000',
  },
  'body-limit': {
    type: 'string',
    value: '<size>',
    description: 'Largest request body, e.g. 1048576, 512kb or 2mib.',
    env: ENV.bodyLimit,
    defaultText: '1mib',
  },
  'auth-jwt-secret': {
    type: 'string',
    value: '<secret>',
    description: 'Require bearer JWTs signed with this HS256 secret (prefer the env variable).',
    env: ENV.authJwtSecret,
  },
  'auth-jwks-url': {
    type: 'string',
    value: '<url>',
    description: 'Require bearer JWTs verified with this JWKS.',
    env: ENV.authJwksUrl,
  },
  'auth-issuer': {
    type: 'string',
    value: '<iss>',
    description: 'Required JWT issuer.',
    env: ENV.authIssuer,
  },
  'auth-audience': {
    type: 'string',
    value: '<aud>',
    description: 'Required JWT audience.',
    env: ENV.authAudience,
  },
  ...traceFlags,
  ...toolRegistryFlags,
  ...modelFlags,
  verbose: { type: 'boolean', description: 'Show stack traces and error details.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
} as const;

/** One process: today's server, with the URL line once it accepts connections. */
async function serveSingle(settings: ServeSettings, ctx: CommandContext): Promise<number> {
  const options = await buildRuntimeOptions(settings, ctx.env);
  // Loaded here so the other subcommands never load express and jose.
  const { startRuntimeServer } = await import('@arp-ts/runtime-server');
  const { listen } = settings;
  let server;
  try {
    server = await startRuntimeServer({ ...options, ...listen });
  } catch (err) {
    if (isPortInUse(err)) throw portInUseFailure(listen.host, listen.port);
    throw err;
  }
  writeLine(ctx.io.stdout, `ARP Runtime listening on ${server.url}`);
  await ctx.io.waitForShutdown();
  await server.close();
  return EXIT_OK;
}

async function execute(parsed: ParsedFlags, ctx: CommandContext): Promise<number> {
  // Every option is checked before anything is loaded or started (in a cluster: before any
  // worker is forked, so a bad value is reported once).
  const settings = resolveServeSettings(parsed, ctx.env, ctx.io.cwd);
  const { isRuntimeClusterWorker } = await import('@arp-ts/runtime-server');
  // A worker re-runs the primary's command line; the primary's cluster tells it apart.
  if (isRuntimeClusterWorker(ctx.env)) {
    return serveAsWorker(settings, ctx, booleanFlag(parsed, 'verbose'));
  }
  return settings.workers > 1 ? serveCluster(settings, ctx) : serveSingle(settings, ctx);
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the ARP Runtime HTTP API',
  flags,
  help: {
    command: 'arp-runtime serve',
    summary: 'start the ARP Runtime HTTP API',
    usage: 'arp-runtime serve [options]',
    description: [
      'Serves /v1/health, /v1/version, /v1/runs (create, status, result, cancel, events) over',
      'HTTP and prints `ARP Runtime listening on http://HOST:PORT` once ready. Runs are stored',
      'under <trace-dir>/<run_id>/. SIGTERM or Ctrl-C drains running runs, then exits 0.',
      'Port rules: a taken default port falls back to a free one; a taken explicit --port fails',
      'unless --auto-port; --port 0 always picks a free one. Logs are JSON lines on stderr',
      '(LOG_LEVEL=debug|info|warn|error).',
      '',
      'With --workers N (or auto), N runtime processes share the port, each owning the runs whose',
      'ids hash to it; any of them answers any request (others are relayed to the owner), and a',
      'worker that dies is restarted. The line then reads `... listening on URL (N workers)`.',
    ].join('\n'),
    flags,
    notes: [OPENAI_NOTE],
    examples: [
      'arp-runtime serve',
      'arp-runtime serve --port 0 --trace-dir /var/lib/arp/runs',
      'arp-runtime serve --workers auto --port 8081',
      'arp-runtime serve --tool-registry-url http://127.0.0.1:8000 --max-concurrent-runs 8',
      'ARP_AUTH_JWT_SECRET=change-me arp-runtime serve --auth-audience arp',
      'curl -sS -X POST http://127.0.0.1:8081/v1/runs -H \'Content-Type: application/json\' -H \'Prefer: wait=10\' -d \'{"input":{"goal":"What is (19*23)?"}}\'',
    ],
  },
  execute,
};
