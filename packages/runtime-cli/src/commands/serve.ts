// `arp-runtime serve`: the ARP Runtime HTTP API (runtime-server) with this CLI's configuration.
// Prints exactly `ARP Runtime listening on http://HOST:PORT` on stdout once it accepts
// connections; SIGTERM/SIGINT shut it down gracefully (exit 0).
import type { RuntimeServerOptions } from '@arp-ts/runtime-server';
import { booleanFlag, type ParsedFlags } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import {
  ENV,
  parseByteSize,
  parseHttpUrl,
  resolveInteger,
  resolveModelMode,
  resolveRedactPrompts,
  resolveString,
  resolveToolRegistry,
  resolveTraceDir,
} from '../config.js';
import { createModels, createToolRegistryPort } from '../deps.js';
import { EXIT_OK, isPortInUse, portInUseFailure, usageError } from '../errors.js';
import { modelFlags, toolRegistryFlags, traceFlags } from '../flags.js';
import { OPENAI_NOTE } from '../help.js';
import { writeLine } from '../io.js';

export const DEFAULT_RUNTIME_HOST = '127.0.0.1';
export const DEFAULT_RUNTIME_PORT = 8081;

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

interface ListenSettings {
  host: string;
  port: number;
  portExplicit: boolean;
  autoPort: boolean;
}

function resolveListen(parsed: ParsedFlags, ctx: CommandContext): ListenSettings {
  const host =
    resolveString(parsed, 'host', ctx.env, ENV.runtimeHost)?.value ?? DEFAULT_RUNTIME_HOST;
  const port = resolveInteger(parsed, 'port', ctx.env, ENV.runtimePort, { min: 0, max: 65_535 });
  return {
    host,
    port: port?.value ?? DEFAULT_RUNTIME_PORT,
    portExplicit: port !== undefined,
    autoPort: booleanFlag(parsed, 'auto-port'),
  };
}

function resolveAuth(parsed: ParsedFlags, ctx: CommandContext): RuntimeServerOptions['auth'] {
  const jwtSecret = resolveString(parsed, 'auth-jwt-secret', ctx.env, ENV.authJwtSecret);
  const jwksRaw = resolveString(parsed, 'auth-jwks-url', ctx.env, ENV.authJwksUrl);
  const issuer = resolveString(parsed, 'auth-issuer', ctx.env, ENV.authIssuer);
  const audience = resolveString(parsed, 'auth-audience', ctx.env, ENV.authAudience);
  if (!jwtSecret && !jwksRaw) {
    if (issuer || audience) {
      throw usageError(
        `${(issuer ?? audience)?.source} needs --auth-jwt-secret or --auth-jwks-url to turn auth on`,
      );
    }
    return undefined;
  }
  if (jwtSecret && jwksRaw) {
    throw usageError('use either --auth-jwt-secret or --auth-jwks-url, not both');
  }
  const auth: NonNullable<RuntimeServerOptions['auth']> = {};
  if (jwtSecret) auth.jwtSecret = jwtSecret.value;
  if (jwksRaw) auth.jwksUrl = parseHttpUrl(jwksRaw);
  if (issuer) auth.issuer = issuer.value;
  if (audience) auth.audience = audience.value;
  return auth;
}

async function execute(parsed: ParsedFlags, ctx: CommandContext): Promise<number> {
  // Every option is checked before anything is loaded or started.
  const listen = resolveListen(parsed, ctx);
  const registry = resolveToolRegistry(parsed, ctx.env);
  const mode = resolveModelMode(parsed, ctx.env);
  const traceDir = resolveTraceDir(parsed, ctx.env, ctx.io.cwd);
  const redactPrompts = resolveRedactPrompts(parsed, ctx.env);
  const concurrency = resolveInteger(
    parsed,
    'max-concurrent-runs',
    ctx.env,
    ENV.maxConcurrentRuns,
    {
      min: 1,
      max: 100_000,
    },
  );
  const queued = resolveInteger(parsed, 'max-queued-runs', ctx.env, ENV.maxQueuedRuns, {
    min: 0,
    max: 10_000_000,
  });
  const bodyLimit = resolveString(parsed, 'body-limit', ctx.env, ENV.bodyLimit);
  const bodyLimitBytes = bodyLimit ? parseByteSize(bodyLimit) : undefined;
  const auth = resolveAuth(parsed, ctx);

  const options: RuntimeServerOptions = {
    toolRegistry: await createToolRegistryPort(registry),
    models: await createModels(mode, ctx.env),
    traceDir,
    redactPrompts,
  };
  if (concurrency) options.maxConcurrentRuns = concurrency.value;
  if (queued) options.maxQueuedRuns = queued.value;
  if (bodyLimitBytes !== undefined) options.bodyLimitBytes = bodyLimitBytes;
  if (auth) options.auth = auth;

  // Loaded here so the other subcommands never load express and jose.
  const { startRuntimeServer } = await import('@arp-ts/runtime-server');
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
    ].join('\n'),
    flags,
    notes: [OPENAI_NOTE],
    examples: [
      'arp-runtime serve',
      'arp-runtime serve --port 0 --trace-dir /var/lib/arp/runs',
      'arp-runtime serve --tool-registry-url http://127.0.0.1:8000 --max-concurrent-runs 8',
      'ARP_AUTH_JWT_SECRET=change-me arp-runtime serve --auth-audience arp',
      'curl -sS -X POST http://127.0.0.1:8081/v1/runs -H \'Content-Type: application/json\' -H \'Prefer: wait=10\' -d \'{"input":{"goal":"What is (19*23)?"}}\'',
    ],
  },
  execute,
};
