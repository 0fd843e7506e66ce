import { createLogger, onShutdownSignal, PortInUseError } from '@arp-ts/service-kit';
import { SERVICE_NAME, serviceInfo } from '../api/service-info.js';
import { loadDomains } from '../domains/load.js';
import { DomainError } from '../domains/validate-domain.js';
import { startToolRegistryServer } from '../http/server.js';
import { createToolRegistry } from '../registry.js';
import { parseCli, USAGE, UsageError } from './args.js';

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] ?? message;
}

/**
 * Runs the command. Resolves with an exit code when it is done at once (help, version, errors),
 * or with undefined once the server is listening (it then runs until SIGTERM/SIGINT).
 */
export async function main(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  io: CliIo = processIo,
): Promise<number | undefined> {
  let command;
  try {
    command = parseCli(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`${SERVICE_NAME}: ${err.message}`);
    io.stderr(`Run '${SERVICE_NAME} --help' for usage.`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout(USAGE.trimEnd());
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout(serviceInfo().version);
    return 0;
  }

  const logger = createLogger({ name: SERVICE_NAME, level: env.LOG_LEVEL });
  let registry;
  try {
    registry = createToolRegistry({ domains: await loadDomains(command.domains) });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    io.stderr(`${SERVICE_NAME}: ${err.message}`);
    return 2;
  }
  let server;
  try {
    server = await startToolRegistryServer({
      host: command.host,
      port: command.port,
      portExplicit: command.portExplicit,
      autoPort: command.autoPort,
      registry,
      logger,
    });
  } catch (err) {
    const reason = err instanceof PortInUseError ? err.message : `cannot listen: ${oneLine(err)}`;
    io.stderr(`${SERVICE_NAME}: ${reason}`);
    return 1;
  }
  onShutdownSignal(() => server.close(), { logger });
  io.stdout(`ARP Tool Registry listening on ${server.url}`);
  return undefined;
}

/** Entry point of the bin: never prints a stack trace for an expected failure. */
export function runCli(): void {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${SERVICE_NAME}: unexpected error: ${oneLine(err)}\n`);
      process.exitCode = 1;
    },
  );
}
