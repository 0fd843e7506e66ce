// Structured JSON logs: one object per line, so log shippers need no parsing rules.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
  isEnabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

export interface LoggerOptions {
  /** Service name written as `service` on every line. */
  name: string;
  /** Defaults to LOG_LEVEL, then `info`. */
  level?: LogLevel | string;
  /** Where lines go; defaults to stderr so stdout stays free for a command's output. */
  write?: (line: string) => void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function parseLogLevel(value: string | undefined, fallback: LogLevel = 'info'): LogLevel {
  const v = value?.trim().toLowerCase();
  if (v === 'warning') return 'warn';
  return v && v in RANK ? (v as LogLevel) : fallback;
}

function serializeError(err: unknown): unknown {
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return err;
}

export function createLogger(options: LoggerOptions): Logger {
  const level = parseLogLevel(options.level ?? process.env.LOG_LEVEL);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  return build(level, write, { service: options.name });
}

function build(level: LogLevel, write: (line: string) => void, base: LogFields): Logger {
  const threshold = RANK[level];
  const log = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields): void => {
    if (RANK[lvl] < threshold) return;
    const line: LogFields = { time: new Date().toISOString(), level: lvl, ...base, msg };
    if (fields)
      for (const [k, v] of Object.entries(fields)) line[k] = k === 'err' ? serializeError(v) : v;
    try {
      write(JSON.stringify(line) + '\n');
    } catch {
      // A log line must never take the service down (e.g. a closed stderr pipe).
    }
  };
  return {
    level,
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
    child: (fields) => build(level, write, { ...base, ...fields }),
    isEnabled: (lvl) => RANK[lvl] >= threshold,
  };
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = build('silent', () => undefined, {});
