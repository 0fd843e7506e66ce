// Everything `serve` reads from its flags and environment, checked in one place before anything
// starts, and the runtime options built from it. The single server and every cluster worker build
// their runtime from the same function, so they can never differ.
import type { RuntimeServerOptions } from '@arp-ts/runtime-server';
import { booleanFlag, type ParsedFlags } from '../args.js';
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
  resolveWorkers,
  type ModelMode,
  type ToolRegistryConfig,
} from '../config.js';
import { createModels, createToolRegistryPort } from '../deps.js';
import { usageError } from '../errors.js';
import type { Env } from '../io.js';

export const DEFAULT_RUNTIME_HOST = '127.0.0.1';
export const DEFAULT_RUNTIME_PORT = 8081;

export interface ListenSettings {
  host: string;
  port: number;
  portExplicit: boolean;
  autoPort: boolean;
}

export interface ServeSettings {
  listen: ListenSettings;
  /** Runtime processes: 1 is the single-process server, more a cluster of workers. */
  workers: number;
  registry: ToolRegistryConfig;
  mode: ModelMode;
  traceDir: string;
  redactPrompts: boolean;
  maxConcurrentRuns?: number;
  maxQueuedRuns?: number;
  bodyLimitBytes?: number;
  auth?: RuntimeServerOptions['auth'];
}

function resolveListen(parsed: ParsedFlags, env: Env): ListenSettings {
  const host = resolveString(parsed, 'host', env, ENV.runtimeHost)?.value ?? DEFAULT_RUNTIME_HOST;
  const port = resolveInteger(parsed, 'port', env, ENV.runtimePort, { min: 0, max: 65_535 });
  return {
    host,
    port: port?.value ?? DEFAULT_RUNTIME_PORT,
    portExplicit: port !== undefined,
    autoPort: booleanFlag(parsed, 'auto-port'),
  };
}

function resolveAuth(parsed: ParsedFlags, env: Env): RuntimeServerOptions['auth'] {
  const jwtSecret = resolveString(parsed, 'auth-jwt-secret', env, ENV.authJwtSecret);
  const jwksRaw = resolveString(parsed, 'auth-jwks-url', env, ENV.authJwksUrl);
  const issuer = resolveString(parsed, 'auth-issuer', env, ENV.authIssuer);
  const audience = resolveString(parsed, 'auth-audience', env, ENV.authAudience);
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

/** Reads and checks every serve option; throws a usage error (exit 2) for any bad value. */
export function resolveServeSettings(parsed: ParsedFlags, env: Env, cwd: string): ServeSettings {
  const settings: ServeSettings = {
    listen: resolveListen(parsed, env),
    workers: resolveWorkers(parsed, env).value,
    registry: resolveToolRegistry(parsed, env),
    mode: resolveModelMode(parsed, env),
    traceDir: resolveTraceDir(parsed, env, cwd),
    redactPrompts: resolveRedactPrompts(parsed, env),
  };
  const concurrency = resolveInteger(parsed, 'max-concurrent-runs', env, ENV.maxConcurrentRuns, {
    min: 1,
    max: 100_000,
  });
  const queued = resolveInteger(parsed, 'max-queued-runs', env, ENV.maxQueuedRuns, {
    min: 0,
    max: 10_000_000,
  });
  const bodyLimit = resolveString(parsed, 'body-limit', env, ENV.bodyLimit);
  const auth = resolveAuth(parsed, env);
  if (concurrency) settings.maxConcurrentRuns = concurrency.value;
  if (queued) settings.maxQueuedRuns = queued.value;
  if (bodyLimit) settings.bodyLimitBytes = parseByteSize(bodyLimit);
  if (auth) settings.auth = auth;
  return settings;
}

/** The runtime's options (Tool Registry, models, store, limits, auth) from checked settings. */
export async function buildRuntimeOptions(
  settings: ServeSettings,
  env: Env,
): Promise<RuntimeServerOptions> {
  const options: RuntimeServerOptions = {
    toolRegistry: await createToolRegistryPort(settings.registry),
    models: await createModels(settings.mode, env),
    traceDir: settings.traceDir,
    redactPrompts: settings.redactPrompts,
  };
  if (settings.maxConcurrentRuns !== undefined) {
    options.maxConcurrentRuns = settings.maxConcurrentRuns;
  }
  if (settings.maxQueuedRuns !== undefined) options.maxQueuedRuns = settings.maxQueuedRuns;
  if (settings.bodyLimitBytes !== undefined) options.bodyLimitBytes = settings.bodyLimitBytes;
  if (settings.auth) options.auth = settings.auth;
  return options;
}
