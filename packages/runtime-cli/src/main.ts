// The command line's entry point as a function: parse, dispatch to a subcommand, turn errors into
// one or two lines on stderr and an exit code. The bin calls it with the real process.
import { booleanFlag, parseFlags } from './args.js';
import { createContext, type Command } from './command.js';
import { demoCommand } from './commands/demo.js';
import { replayCommand } from './commands/replay.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { toolRegistryCommand } from './commands/tool-registry.js';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, formatError, usageError } from './errors.js';
import { renderHelp } from './help.js';
import { writeLine, type CliIo, type Env } from './io.js';
import { closestMatch } from './suggest.js';
import { readVersion } from './version.js';

export const COMMANDS: readonly Command[] = [
  runCommand,
  demoCommand,
  replayCommand,
  serveCommand,
  toolRegistryCommand,
];

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'arp-runtime: run agents with the Agent Runtime Protocol (ARP) v1',
    '',
    'Usage: arp-runtime <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Options:',
    '  -h, --help     Show help (also: arp-runtime <command> --help)',
    '  -V, --version  Print the version',
    '',
    'Examples:',
    '  arp-runtime demo',
    '  arp-runtime run --request "What is (19*23)?"',
    '  arp-runtime replay --trace ./runs/<run_id>/trace.jsonl',
    '  arp-runtime tool-registry            # http://127.0.0.1:8000',
    '  arp-runtime serve --tool-registry-url http://127.0.0.1:8000',
    '',
  ].join('\n');
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const suggestion = closestMatch(
    name,
    COMMANDS.map((c) => c.name),
  );
  throw usageError(
    `unknown command '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
    `commands: ${COMMANDS.map((c) => c.name).join(', ')}; see 'arp-runtime --help'`,
  );
}

async function dispatch(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(generalHelp());
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    io.stdout.write(topic ? renderHelp(findCommand(topic).help) : generalHelp());
    return EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    writeLine(io.stdout, readVersion());
    return EXIT_OK;
  }
  if (first.startsWith('-')) {
    throw usageError(
      `unknown option ${first} (put options after the command)`,
      `see 'arp-runtime --help'`,
    );
  }
  const command = findCommand(first);
  const flags = parseFlags(`arp-runtime ${command.name}`, rest, command.flags, {
    allowPositionals: command.allowPositionals ?? false,
  });
  if (booleanFlag(flags, 'help')) {
    io.stdout.write(renderHelp(command.help));
    return EXIT_OK;
  }
  return command.execute(flags, createContext(env, io));
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves with the exit code.
 * Never rejects: every error becomes one or two lines on stderr (a stack trace with --verbose).
 */
export async function main(argv: readonly string[], env: Env, io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, env, io);
  } catch (err) {
    const verbose = argv.includes('--verbose');
    for (const line of formatError(err, verbose)) writeLine(io.stderr, line);
    return err instanceof CliError ? err.exitCode : EXIT_FAILURE;
  }
}
