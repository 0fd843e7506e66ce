import { parseArgs } from 'node:util';
import { parseDomainList } from '../domains/load.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../http/server.js';

/** A mistake in how the command was called: reported in one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'serve';
      host: string;
      port: number;
      portExplicit: boolean;
      autoPort: boolean;
      domains: string[];
    };

export const USAGE = `Usage: arp-tool-registry [options]

Serves the ARP v1 Tool Registry API over HTTP.

Options:
  --host <host>        Address to bind (env TOOL_REGISTRY_HOST, default ${DEFAULT_HOST})
  --port <port>        Port to bind (env TOOL_REGISTRY_PORT, default ${DEFAULT_PORT}); 0 picks a free one.
                       If the default port is taken, a free port is used; a port you chose
                       that is taken is an error, unless --auto-port.
  --auto-port          Fall back to a free port when the chosen one is taken
  --domains <list>     Comma-separated domains: built-in names (core) or paths of ES modules
                       exporting a ToolDomain (env TOOL_REGISTRY_DOMAINS, default core)
  -h, --help           Show this help
  -v, --version        Show the version

Environment:
  LOG_LEVEL            debug, info, warn, error or silent (default info); logs go to stderr as JSON
`;

function parsePort(value: string, source: string): number {
  if (!/^\d{1,5}$/.test(value.trim()) || Number(value) > 65535) {
    throw new UsageError(`${source} must be a port number between 0 and 65535, got '${value}'.`);
  }
  return Number(value);
}

function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads the command line and environment; throws UsageError for anything it cannot use. */
export function parseCli(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'auto-port': { type: 'boolean' },
        domains: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    // parseArgs messages are one line and name the offending option.
    throw new UsageError((err as Error).message);
  }
  const { values } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const host = nonBlank(values.host) ?? nonBlank(env.TOOL_REGISTRY_HOST) ?? DEFAULT_HOST;
  const portFlag = values.port;
  const portEnv = nonBlank(env.TOOL_REGISTRY_PORT);
  const port =
    portFlag !== undefined
      ? parsePort(portFlag, '--port')
      : portEnv !== undefined
        ? parsePort(portEnv, 'TOOL_REGISTRY_PORT')
        : DEFAULT_PORT;
  const domainList = values.domains ?? nonBlank(env.TOOL_REGISTRY_DOMAINS) ?? 'core';
  const domains = parseDomainList(domainList);
  if (domains.length === 0) throw new UsageError('--domains names no domain.');
  return {
    kind: 'serve',
    host,
    port,
    portExplicit: portFlag !== undefined || portEnv !== undefined,
    autoPort: values['auto-port'] === true,
    domains,
  };
}
