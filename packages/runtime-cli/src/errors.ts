// Errors the CLI reports to its user, and how they are printed: one or two clear lines, with the
// stack only under --verbose.

/** Exit codes: 0 success, 1 the run (or server) failed, 2 the command line or configuration is wrong. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_USAGE;

/** An error meant for the user: its message is printed as is, with an optional hint line. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line or the configuration (flags, env) is wrong: exit 2. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, EXIT_USAGE, hint);
}

/** Something failed at run time (a run, a server, a file): exit 1. */
export function failure(message: string, hint?: string): CliError {
  return new CliError(message, EXIT_FAILURE, hint);
}

/** The string `code` of an error (a Node errno code, an ARP error code), if it has one. */
export function errorCodeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** A listen error for a taken port: service-kit's PortInUseError or a bare EADDRINUSE. */
export function isPortInUse(err: unknown): boolean {
  return (
    (err instanceof Error && err.name === 'PortInUseError') || errorCodeOf(err) === 'EADDRINUSE'
  );
}

/** What `serve` and `tool-registry` report when their port is taken. */
export function portInUseFailure(host: string, port: number): CliError {
  return failure(
    `port ${port} on ${host} is already in use`,
    'pass --auto-port to fall back to a free port, or --port 0 to pick one',
  );
}

/** The lines printed on stderr for an error that ends the command. */
export function formatError(err: unknown, verbose: boolean): string[] {
  if (err instanceof CliError) {
    const lines = [`error: ${err.message}`];
    if (err.hint) lines.push(`hint: ${err.hint}`);
    if (verbose && err.stack) lines.push(err.stack);
    return lines;
  }
  const message = err instanceof Error ? err.message : String(err);
  const code = errorCodeOf(err);
  const lines = [`error: ${code && !message.includes(code) ? `${code}: ` : ''}${message}`];
  if (verbose) {
    if (err instanceof Error && err.stack) lines.push(err.stack);
  } else {
    lines.push('hint: run again with --verbose to see where it happened');
  }
  return lines;
}
