// `arp-runtime tool-registry`: the reference ARP Tool Registry (calc, echo, time_now and any
// domain modules) with the same flags and variables as `arp-tool-registry`, so one command gives
// a whole local stack. Everything is @arp-ts/tool-registry-mock's own code.
import { booleanFlag, type ParsedFlags } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { ENV, resolveInteger, resolveString } from '../config.js';
import { EXIT_OK, isPortInUse, portInUseFailure, usageError } from '../errors.js';
import { writeLine } from '../io.js';

export const DEFAULT_REGISTRY_HOST = '127.0.0.1';
export const DEFAULT_REGISTRY_PORT = 8000;

const flags = {
  host: {
    type: 'string',
    value: '<host>',
    description: 'Interface to bind.',
    env: ENV.registryHost,
    defaultText: DEFAULT_REGISTRY_HOST,
  },
  port: {
    type: 'string',
    value: '<port>',
    description: 'Port to bind; 0 picks a free one. A taken default port falls back to a free one.',
    env: ENV.registryPort,
    defaultText: String(DEFAULT_REGISTRY_PORT),
  },
  'auto-port': {
    type: 'boolean',
    description: 'Fall back to a free port when an explicit --port is taken.',
  },
  domains: {
    type: 'string',
    value: '<list>',
    description: 'Tool domains: built-in names or module paths, comma-separated.',
    env: ENV.registryDomains,
    defaultText: 'core',
  },
  verbose: { type: 'boolean', description: 'Show stack traces and error details.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
} as const;

async function execute(parsed: ParsedFlags, ctx: CommandContext): Promise<number> {
  const host =
    resolveString(parsed, 'host', ctx.env, ENV.registryHost)?.value ?? DEFAULT_REGISTRY_HOST;
  const port = resolveInteger(parsed, 'port', ctx.env, ENV.registryPort, { min: 0, max: 65_535 });
  const { loadDomains, parseDomainList, startToolRegistryServer } =
    await import('@arp-ts/tool-registry-mock');
  const domainsRaw = resolveString(parsed, 'domains', ctx.env, ENV.registryDomains);
  const specs = domainsRaw ? parseDomainList(domainsRaw.value) : ['core'];
  if (specs.length === 0) throw usageError(`${domainsRaw?.source ?? '--domains'} names no domain`);
  let domains;
  try {
    domains = await loadDomains(specs, { cwd: ctx.io.cwd });
  } catch (err) {
    throw usageError(err instanceof Error ? err.message : String(err));
  }
  let server;
  try {
    server = await startToolRegistryServer({
      host,
      port: port?.value ?? DEFAULT_REGISTRY_PORT,
      portExplicit: port !== undefined,
      autoPort: booleanFlag(parsed, 'auto-port'),
      domains,
    });
  } catch (err) {
    if (isPortInUse(err)) throw portInUseFailure(host, port?.value ?? DEFAULT_REGISTRY_PORT);
    // A domain clash (two tools with one id or name) is a configuration error.
    if (err instanceof Error && err.name === 'DomainError') throw usageError(err.message);
    throw err;
  }
  writeLine(ctx.io.stdout, `ARP Tool Registry listening on ${server.url}`);
  await ctx.io.waitForShutdown();
  await server.close();
  return EXIT_OK;
}

export const toolRegistryCommand: Command = {
  name: 'tool-registry',
  summary: 'start the reference ARP Tool Registry (calc, echo, time_now)',
  flags,
  help: {
    command: 'arp-runtime tool-registry',
    summary: 'start the reference ARP Tool Registry (calc, echo, time_now)',
    usage: 'arp-runtime tool-registry [options]',
    description: [
      'The same server as `arp-tool-registry`. Prints `ARP Tool Registry listening on',
      'http://HOST:PORT` once ready; SIGTERM or Ctrl-C closes it. Port rules as for serve.',
      'Logs are JSON lines on stderr (LOG_LEVEL=debug|info|warn|error).',
    ].join('\n'),
    flags,
    examples: [
      'arp-runtime tool-registry',
      'arp-runtime tool-registry --port 0 --domains core,./my-domain.js',
      'arp-runtime tool-registry & arp-runtime run --request "What is (2+3)?" --tool-registry-url http://127.0.0.1:8000',
    ],
  },
  execute,
};
