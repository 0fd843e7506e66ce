// The cluster primary's logger: JSON lines on stderr like the runtime's own logs (service,
// LOG_LEVEL). runtime-server takes any Logger; the CLI does not depend on service-kit, so this
// is a small implementation of that interface.
import type { RuntimeClusterOptions } from '@arp-ts/runtime-server';
import type { Env, OutputStream } from '../io.js';

export type Logger = RuntimeClusterOptions['logger'];
type Level = Logger['level'];
type Fields = Record<string, unknown>;

const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function isLevel(value: string): value is Level {
  return value in RANK;
}

/** LOG_LEVEL as the runtime reads it (`warning` is `warn`), `info` when unset or unknown. */
export function logLevelFrom(env: Env): Level {
  const value = env.LOG_LEVEL?.trim().toLowerCase();
  if (value === 'warning') return 'warn';
  return value !== undefined && isLevel(value) ? value : 'info';
}

function serialize(key: string, value: unknown): unknown {
  if (key === 'err' && value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}

function build(level: Level, stream: OutputStream, base: Fields): Logger {
  const threshold = RANK[level];
  const log = (lvl: Exclude<Level, 'silent'>, msg: string, fields?: Fields): void => {
    if (RANK[lvl] < threshold) return;
    const line: Fields = { time: new Date().toISOString(), level: lvl, ...base, msg };
    for (const [key, value] of Object.entries(fields ?? {})) line[key] = serialize(key, value);
    try {
      stream.write(`${JSON.stringify(line)}\n`);
    } catch {
      // A log line must never stop the server (a closed stderr pipe, a cycle in a field).
    }
  };
  return {
    level,
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => build(level, stream, { ...base, ...fields }),
    isEnabled: (lvl) => RANK[lvl] >= threshold,
  };
}

export function createCliLogger(env: Env, stream: OutputStream, service = 'arp-runtime'): Logger {
  return build(logLevelFrom(env), stream, { service, role: 'primary' });
}
