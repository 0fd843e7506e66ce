// Configuration resolution shared by the subcommands: a flag wins, then the environment (first
// variable set, preferred name before its back-compat name), then the default. Every value is
// checked here so a bad one is a clear usage error (exit 2) naming where it came from.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { booleanFlag, listFlag, stringFlag, type ParsedFlags } from './args.js';
import { usageError } from './errors.js';
import type { Env } from './io.js';

/** A resolved value and where it came from (`--flag`, an env variable name, or `default`). */
export interface Sourced<T> {
  value: T;
  source: string;
}

export const ENV = {
  toolRegistryUrl: ['ARP_TOOL_REGISTRY_URL', 'JARVIS_TOOL_REGISTRY_URL'],
  toolRegistryMode: ['JARVIS_TOOL_REGISTRY_MODE'],
  traceDir: ['JARVIS_TRACE_DIR'],
  redactPrompts: ['JARVIS_REDACT_PROMPTS'],
  runtimeMode: ['JARVIS_RUNTIME_MODE'],
  runtimeHost: ['ARP_RUNTIME_HOST'],
  runtimePort: ['ARP_RUNTIME_PORT'],
  runtimeWorkers: ['ARP_RUNTIME_WORKERS'],
  maxConcurrentRuns: ['ARP_RUNTIME_MAX_CONCURRENT_RUNS'],
  maxQueuedRuns: ['ARP_RUNTIME_MAX_QUEUED_RUNS'],
  bodyLimit: ['ARP_RUNTIME_BODY_LIMIT'],
  authJwtSecret: ['ARP_AUTH_JWT_SECRET'],
  authJwksUrl: ['ARP_AUTH_JWKS_URL'],
  authIssuer: ['ARP_AUTH_ISSUER'],
  authAudience: ['ARP_AUTH_AUDIENCE'],
  registryHost: ['TOOL_REGISTRY_HOST'],
  registryPort: ['TOOL_REGISTRY_PORT'],
  registryDomains: ['TOOL_REGISTRY_DOMAINS'],
} as const;

export const DEFAULT_TRACE_DIR = './runs';

function fromEnv(env: Env, names: readonly string[]): Sourced<string> | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { value: value.trim(), source: name };
  }
  return undefined;
}

/** A string option: the flag, else the first env variable set, else undefined. */
export function resolveString(
  flags: ParsedFlags,
  flag: string,
  env: Env,
  envNames: readonly string[],
): Sourced<string> | undefined {
  const fromFlag = stringFlag(flags, flag);
  if (fromFlag !== undefined) return { value: fromFlag, source: `--${flag}` };
  return fromEnv(env, envNames);
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/** A boolean option: the flag turns it on; else the env variable as 1/true/yes/on or 0/false/no/off. */
export function resolveBoolean(
  flags: ParsedFlags,
  flag: string,
  env: Env,
  envNames: readonly string[],
): Sourced<boolean> {
  if (booleanFlag(flags, flag)) return { value: true, source: `--${flag}` };
  const raw = fromEnv(env, envNames);
  if (!raw) return { value: false, source: 'default' };
  const word = raw.value.toLowerCase();
  if (TRUE_WORDS.has(word)) return { value: true, source: raw.source };
  if (FALSE_WORDS.has(word)) return { value: false, source: raw.source };
  throw usageError(`${raw.source} must be one of 1, true, yes, 0, false, no (got "${raw.value}")`);
}

/** Parses an integer option within bounds; `source` names the flag or variable in errors. */
/** `alsoAccepted` names the words the caller takes besides integers, for the error message. */
export function parseInteger(
  raw: Sourced<string>,
  min: number,
  max: number,
  alsoAccepted?: string,
): number {
  const text = raw.value.trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const or = alsoAccepted ? ` or ${alsoAccepted}` : '';
    throw usageError(
      `${raw.source} must be an integer from ${min} to ${max}${or} (got "${raw.value}")`,
    );
  }
  return value;
}

export function resolveInteger(
  flags: ParsedFlags,
  flag: string,
  env: Env,
  envNames: readonly string[],
  bounds: { min: number; max: number },
): Sourced<number> | undefined {
  const raw = resolveString(flags, flag, env, envNames);
  return raw && { value: parseInteger(raw, bounds.min, bounds.max), source: raw.source };
}

/** Most worker processes `serve --workers` starts (each holds a whole runtime). */
export const MAX_WORKERS = 64;

/**
 * How many runtime processes `serve` runs: an integer from 1 to MAX_WORKERS, or `auto` for one
 * per core the process may use (capped at MAX_WORKERS). Default 1: the single-process server.
 */
export function resolveWorkers(
  flags: ParsedFlags,
  env: Env,
  cores: () => number = availableParallelism,
): Sourced<number> {
  const raw = resolveString(flags, 'workers', env, ENV.runtimeWorkers);
  if (!raw) return { value: 1, source: 'default' };
  const text = raw.value.trim();
  if (text.toLowerCase() === 'auto') {
    return { value: Math.min(MAX_WORKERS, Math.max(1, cores())), source: raw.source };
  }
  return { value: parseInteger(raw, 1, MAX_WORKERS, 'auto'), source: raw.source };
}

function oneOf<T extends string>(raw: Sourced<string>, allowed: readonly T[]): T {
  const value = raw.value.toLowerCase();
  const match = allowed.find((a) => a === value);
  if (!match) {
    throw usageError(`${raw.source} must be ${allowed.join(' or ')} (got "${raw.value}")`);
  }
  return match;
}

/** An http(s) URL without a trailing slash. */
export function parseHttpUrl(raw: Sourced<string>): string {
  let url: URL;
  try {
    url = new URL(raw.value);
  } catch {
    throw usageError(`${raw.source} is not a valid URL (got "${raw.value}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`${raw.source} must be an http:// or https:// URL (got "${raw.value}")`);
  }
  return url.href.replace(/\/+$/, '');
}

export type ToolRegistryConfig =
  { mode: 'inproc' } | { mode: 'http'; url: string; urlSource: string };

/**
 * `inproc` (the embedded registry) unless a URL is given. Flags beat env: an explicit
 * `--tool-registry` wins, then a `--tool-registry-url` flag (http), then JARVIS_TOOL_REGISTRY_MODE,
 * then a URL from the environment (http).
 */
export function resolveToolRegistry(flags: ParsedFlags, env: Env): ToolRegistryConfig {
  const modeFlag = stringFlag(flags, 'tool-registry');
  const urlFlag = stringFlag(flags, 'tool-registry-url');
  const urlRaw = resolveString(flags, 'tool-registry-url', env, ENV.toolRegistryUrl);
  let mode: 'http' | 'inproc';
  if (modeFlag !== undefined) {
    mode = oneOf({ value: modeFlag, source: '--tool-registry' }, ['http', 'inproc'] as const);
  } else if (urlFlag !== undefined) {
    mode = 'http';
  } else {
    const modeEnv = fromEnv(env, ENV.toolRegistryMode);
    mode = modeEnv
      ? oneOf(modeEnv, ['http', 'inproc'] as const)
      : urlRaw !== undefined
        ? 'http'
        : 'inproc';
  }
  if (mode === 'inproc') return { mode };
  if (!urlRaw) {
    throw usageError(
      'the http tool registry needs a URL',
      'pass --tool-registry-url http://127.0.0.1:8000 or set ARP_TOOL_REGISTRY_URL (or use --tool-registry inproc)',
    );
  }
  return { mode, url: parseHttpUrl(urlRaw), urlSource: urlRaw.source };
}

export type ModelMode = 'stub' | 'openai';

export function resolveModelMode(flags: ParsedFlags, env: Env): ModelMode {
  const raw = resolveString(flags, 'mode', env, ENV.runtimeMode);
  return raw ? oneOf(raw, ['stub', 'openai'] as const) : 'stub';
}

/** The trace directory as an absolute path (relative ones resolve against `cwd`). */
export function resolveTraceDir(flags: ParsedFlags, env: Env, cwd: string): string {
  const raw = resolveString(flags, 'trace-dir', env, ENV.traceDir);
  return path.resolve(cwd, raw?.value ?? DEFAULT_TRACE_DIR);
}

export function resolveRedactPrompts(flags: ParsedFlags, env: Env): boolean {
  return resolveBoolean(flags, 'redact-prompts', env, ENV.redactPrompts).value;
}

export interface RunLimitsConfig {
  max_steps?: number;
  timeout_ms?: number;
  max_tokens?: number;
}

export function resolveLimits(flags: ParsedFlags): RunLimitsConfig {
  const limits: RunLimitsConfig = {};
  const maxSteps = resolveInteger(flags, 'max-steps', {}, [], { min: 1, max: 10_000 });
  const timeoutMs = resolveInteger(flags, 'timeout-ms', {}, [], { min: 1, max: 86_400_000 });
  const maxTokens = resolveInteger(flags, 'max-tokens', {}, [], { min: 1, max: 100_000_000 });
  if (maxSteps) limits.max_steps = maxSteps.value;
  if (timeoutMs) limits.timeout_ms = timeoutMs.value;
  if (maxTokens) limits.max_tokens = maxTokens.value;
  return limits;
}

export interface ToolPolicyConfig {
  allow: string[];
  deny: string[];
}

const TOOL_REF_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export function resolveToolPolicy(flags: ParsedFlags): ToolPolicyConfig {
  const check = (flag: string): string[] => {
    const values = listFlag(flags, flag);
    for (const v of values) {
      if (!TOOL_REF_PATTERN.test(v)) throw usageError(`--${flag} got an invalid tool id "${v}"`);
    }
    return values;
  };
  return { allow: check('allow-tool'), deny: check('deny-tool') };
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 * 1000,
  mib: 1024 * 1024,
  gb: 1000 * 1000 * 1000,
  gib: 1024 * 1024 * 1024,
};

/** A byte size such as `1048576`, `512kb` or `2mib`. */
export function parseByteSize(raw: Sourced<string>): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.value.trim());
  const unit = match?.[2]?.toLowerCase() ?? '';
  const factor = SIZE_UNITS[unit];
  const bytes = match && factor !== undefined ? Math.floor(Number(match[1]) * factor) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw usageError(
      `${raw.source} must be a size in bytes such as 1048576, 512kb or 1mib (got "${raw.value}")`,
    );
  }
  return bytes;
}
