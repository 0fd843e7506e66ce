// The `arp-conformance` command, as a function of its arguments and output streams so tests can
// run it in-process. Exit codes: 0 every check passed, 1 a check failed (or warned with
// --strict), 2 the command was used wrongly.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CHECKS } from './catalog.js';
import { formatReport, REPORT_FORMATS, type ReportFormat } from './format/index.js';
import {
  formatCheckLine,
  formatSummaryLine,
  formatTextFooter,
  formatTextHeader,
} from './format/text.js';
import { kitInfo } from './kit-info.js';
import { ConformanceOptionsError, isConformant, resolveOptions, runConformance } from './runner.js';
import { TARGETS, TIERS, type Target, type Tier } from './types.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}

const HELP = `Usage:
  arp-conformance check runtime|tool-registry --url URL [options]
  arp-conformance list [runtime|tool-registry]
  arp-conformance --help | --version

Checks that an ARP v1 service follows the standard.

Options of check:
  --url URL            base URL of the service (required), e.g. http://127.0.0.1:8081
  --tier TIER          smoke | surface | core | deep (default core); each includes the ones before
  --header KEY=VALUE   sent on every request; repeatable (e.g. "Authorization=Bearer <token>")
  --timeout MS         per request (default 10000)
  --poll-timeout MS    how long a run may take to end, and a stream to close (default 30000)
  --format FORMAT      text | json | junit (default text)
  --out FILE           write the report to FILE (stdout then gets the summary line)
  --strict             warnings fail too

Exit status: 0 when every check passes, 1 when one fails (or warns with --strict), 2 on usage errors.

Examples:
  arp-conformance check tool-registry --url http://127.0.0.1:8000 --tier deep
  arp-conformance check runtime --url http://127.0.0.1:8081 --tier deep \\
    --header "Authorization=Bearer $TOKEN" --format junit --out conformance.xml
`;

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

function milliseconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(
      `${flag} must be a positive whole number of milliseconds (got "${value}")`,
    );
  }
  return Number(value);
}

export function parseHeaders(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const key = eq === -1 ? '' : value.slice(0, eq).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new UsageError(`--header must look like KEY=VALUE (got "${value}")`);
    }
    headers[key] = value.slice(eq + 1).trim();
  }
  return headers;
}

interface CheckCommand {
  target: Target;
  url: string;
  tier: Tier;
  headers: Record<string, string>;
  timeoutMs?: number;
  pollTimeoutMs?: number;
  format: ReportFormat;
  out?: string;
  strict: boolean;
}

type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'list'; target?: Target }
  | ({ kind: 'check' } & CheckCommand);

function parse(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        tier: { type: 'string' },
        header: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'poll-timeout': { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    // node's messages go on with advice about `--`; the first sentence is the useful part.
    const message = err instanceof Error ? err.message.split(/\.\s|\n/)[0] : undefined;
    throw new UsageError(message?.trim() || 'invalid arguments');
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, target, ...rest] = positionals;
  if (command === undefined) throw new UsageError('a command is required: check or list');
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (command === 'list') {
    return target === undefined
      ? { kind: 'list' }
      : { kind: 'list', target: oneOf(target, TARGETS, 'the target') };
  }
  if (command !== 'check') throw new UsageError(`unknown command "${command}" (use check or list)`);
  if (target === undefined) throw new UsageError('check needs a target: runtime or tool-registry');
  if (values.url === undefined) throw new UsageError('--url is required');
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    throw new UsageError(`--url "${values.url}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--url must be an http or https URL (got "${values.url}")`);
  }
  const timeoutMs = milliseconds(values.timeout, '--timeout');
  const pollTimeoutMs = milliseconds(values['poll-timeout'], '--poll-timeout');
  if (values.out !== undefined && values.out.trim() === '')
    throw new UsageError('--out needs a file name');
  return {
    kind: 'check',
    target: oneOf(target, TARGETS, 'the target'),
    url: values.url,
    tier: oneOf(values.tier ?? 'core', TIERS, '--tier'),
    headers: parseHeaders(values.header ?? []),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(pollTimeoutMs !== undefined ? { pollTimeoutMs } : {}),
    format: oneOf(values.format ?? 'text', REPORT_FORMATS, '--format'),
    ...(values.out !== undefined ? { out: values.out } : {}),
    strict: values.strict === true,
  };
}

function listChecks(target: Target | undefined): string {
  return CHECKS.filter((c) => target === undefined || c.target === target)
    .map((c) => `${c.tier.padEnd(7)}  ${c.id}  ${c.name}`)
    .join('\n')
    .concat('\n');
}

async function check(command: CheckCommand, io: CliIo): Promise<number> {
  // Refuses what the library would refuse (e.g. a header value with a line break) before any output.
  resolveOptions({ target: command.target, url: command.url, headers: command.headers });
  const progressive = command.format === 'text' && command.out === undefined;
  if (progressive) {
    io.stdout(
      formatTextHeader({
        kit: kitInfo(),
        target: command.target,
        url: command.url,
        tier: command.tier,
      }),
    );
  }
  const report = await runConformance({
    target: command.target,
    url: command.url,
    tier: command.tier,
    headers: command.headers,
    ...(command.timeoutMs !== undefined ? { timeoutMs: command.timeoutMs } : {}),
    ...(command.pollTimeoutMs !== undefined ? { pollTimeoutMs: command.pollTimeoutMs } : {}),
    ...(progressive ? { onCheck: (result) => io.stdout(`${formatCheckLine(result)}\n`) } : {}),
  });
  const strict = { strict: command.strict };
  if (progressive) {
    io.stdout(formatTextFooter(report));
  } else if (command.out !== undefined) {
    await writeFile(command.out, formatReport(report, command.format, strict), 'utf8');
    io.stdout(`${formatSummaryLine(report.summary)}\nreport written to ${command.out}\n`);
  } else {
    io.stdout(formatReport(report, command.format, strict));
  }
  return isConformant(report, strict) ? EXIT_OK : EXIT_FAILED;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  try {
    command = parse(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`arp-conformance: ${err.message} (see arp-conformance --help)\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  switch (command.kind) {
    case 'help':
      io.stdout(HELP);
      return EXIT_OK;
    case 'version':
      io.stdout(`${kitInfo().version}\n`);
      return EXIT_OK;
    case 'list':
      io.stdout(listChecks(command.target));
      return EXIT_OK;
    default:
      break;
  }
  try {
    return await check(command, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`arp-conformance: ${message}\n`);
    return err instanceof ConformanceOptionsError ? EXIT_USAGE : EXIT_FAILED;
  }
}
