// OpenAI mode configuration from environment variables (names as in the JARVIS runtime docs).
export type OpenAIApiStyle = 'responses' | 'chat_completions';

export interface OpenAIConfig {
  apiKey: string;
  /** Default https://api.openai.com/v1. */
  baseURL: string;
  /** Responses API (default) or Chat Completions, for OpenAI-compatible servers without Responses. */
  apiStyle: OpenAIApiStyle;
  models: { planner: string; toolArgs: string; chat: string };
  /** Retries of 408/409/429/5xx and connection errors, with the SDK's exponential backoff. */
  maxRetries: number;
  /** Per request. */
  timeoutMs: number;
  /** Injectable fetch (tests, proxies). */
  fetch?: typeof fetch;
}

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_OPENAI_MODEL = 'gpt-5-nano';
export const DEFAULT_OPENAI_MAX_RETRIES = 2;
export const DEFAULT_OPENAI_TIMEOUT_MS = 60_000;

export type ConfigErrorCode = 'model.config_missing' | 'model.config_invalid';

/** Thrown at start-up for unusable configuration; `code` is stable. */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;

  constructor(code: ConfigErrorCode, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
  }
}

type Env = Record<string, string | undefined>;

function pick(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = pick(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      'model.config_invalid',
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function apiStyleOf(env: Env): OpenAIApiStyle {
  const raw = pick(env, 'JARVIS_OPENAI_API_STYLE');
  if (raw === undefined || raw === 'responses') return 'responses';
  if (raw === 'chat_completions' || raw === 'chat') return 'chat_completions';
  throw new ConfigError(
    'model.config_invalid',
    `JARVIS_OPENAI_API_STYLE must be "responses" or "chat_completions", got ${JSON.stringify(raw)}`,
  );
}

function baseUrlOf(env: Env): string {
  const raw = pick(env, 'JARVIS_OPENAI_BASE_URL', 'OPENAI_BASE_URL');
  if (raw === undefined) return DEFAULT_OPENAI_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      'model.config_invalid',
      `the OpenAI base URL ${JSON.stringify(raw)} is not a URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      'model.config_invalid',
      `the OpenAI base URL must be http(s), got ${url.protocol}`,
    );
  }
  return raw.replace(/\/+$/, '');
}

/**
 * Reads OpenAI mode settings. JARVIS_-prefixed variables win over the plain OpenAI ones.
 * Throws ConfigError `model.config_missing` when no API key is set.
 */
export function loadOpenAIConfig(env: Env): OpenAIConfig {
  const apiKey = pick(env, 'JARVIS_OPENAI_API_KEY', 'OPENAI_API_KEY');
  if (apiKey === undefined) {
    throw new ConfigError(
      'model.config_missing',
      'OpenAI mode needs an API key: set OPENAI_API_KEY (or JARVIS_OPENAI_API_KEY)',
    );
  }
  const fallbackModel = pick(env, 'JARVIS_MODEL_DEFAULT') ?? DEFAULT_OPENAI_MODEL;
  return {
    apiKey,
    baseURL: baseUrlOf(env),
    apiStyle: apiStyleOf(env),
    models: {
      planner: pick(env, 'JARVIS_MODEL_PLANNER') ?? fallbackModel,
      toolArgs: pick(env, 'JARVIS_MODEL_TOOL_ARGS') ?? fallbackModel,
      chat: pick(env, 'JARVIS_MODEL_CHAT') ?? fallbackModel,
    },
    maxRetries: integer(env, 'JARVIS_OPENAI_MAX_RETRIES', DEFAULT_OPENAI_MAX_RETRIES, 0, 10),
    timeoutMs: integer(env, 'JARVIS_OPENAI_TIMEOUT_MS', DEFAULT_OPENAI_TIMEOUT_MS, 1, 3_600_000),
  };
}
