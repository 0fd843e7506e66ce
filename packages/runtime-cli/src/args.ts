// Flag parsing for every subcommand: node:util parseArgs in strict mode, driven by one table per
// command that also renders that command's --help, so the two never disagree.
import { parseArgs } from 'node:util';
import { usageError } from './errors.js';
import { closestMatch } from './suggest.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** May be given several times (values collect into a list). */
  multiple?: boolean;
  short?: string;
  /** Placeholder for the value in --help, e.g. `<url>`. */
  value?: string;
  description: string;
  /** Environment variables read when the flag is absent, first match wins. */
  env?: readonly string[];
  /** The default as shown in --help. */
  defaultText?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export type FlagValue = string | boolean | (string | boolean)[] | undefined;

export interface ParsedFlags {
  values: Readonly<Record<string, FlagValue>>;
  positionals: string[];
}

interface ParseErrorLike {
  code?: unknown;
  message?: unknown;
}

function parseErrorCode(err: unknown): string | undefined {
  const code = (err as ParseErrorLike | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function knownFlagNames(specs: FlagSpecs): string[] {
  return Object.keys(specs).map((name) => `--${name}`);
}

/** Finds the first option the specs do not know, by re-parsing leniently with tokens. */
function firstUnknownFlag(argv: string[], specs: FlagSpecs): string | undefined {
  const { tokens } = parseArgs({
    args: argv,
    options: toParseArgsOptions(specs),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind === 'option' && !(token.name in specs)) return token.rawName;
  }
  return undefined;
}

function toParseArgsOptions(
  specs: FlagSpecs,
): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  const options: Record<
    string,
    { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
  > = {};
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.type };
    if (spec.multiple) options[name].multiple = true;
    if (spec.short) options[name].short = spec.short;
  }
  return options;
}

/**
 * Parses `argv` for `command`. Unknown flags become a one-line usage error naming the closest known
 * flag; missing values and stray arguments become usage errors too (exit 2).
 */
export function parseFlags(
  command: string,
  argv: string[],
  specs: FlagSpecs,
  options: { allowPositionals?: boolean } = {},
): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: toParseArgsOptions(specs),
      strict: true,
      allowPositionals: options.allowPositionals ?? false,
    });
    return { values, positionals };
  } catch (err) {
    const code = parseErrorCode(err);
    const helpHint = `see '${command} --help'`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = firstUnknownFlag(argv, specs) ?? 'flag';
      const suggestion = flag.startsWith('--')
        ? closestMatch(flag, knownFlagNames(specs))
        : undefined;
      throw usageError(
        `unknown flag ${flag} for '${command}'${suggestion ? ` (did you mean ${suggestion}?)` : `, ${helpHint}`}`,
      );
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const message = err instanceof Error ? err.message : String(err);
      throw usageError(`${message.replace(/^Option/, 'flag')} (${helpHint})`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const match = /'([^']*)'/.exec(err instanceof Error ? err.message : '');
      throw usageError(
        `unexpected argument ${match ? `'${match[1]}'` : ''} for '${command}' (${helpHint})`.replace(
          /\s+/g,
          ' ',
        ),
      );
    }
    throw err;
  }
}

/** A string flag's value (the last one when repeated), or undefined. */
export function stringFlag(flags: ParsedFlags, name: string): string | undefined {
  const value = flags.values[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const last = value[value.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return undefined;
}

/** Every value of a repeatable string flag; comma-separated values are split too. */
export function listFlag(flags: ParsedFlags, name: string): string[] {
  const value = flags.values[name];
  const raw = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return raw
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function booleanFlag(flags: ParsedFlags, name: string): boolean {
  return flags.values[name] === true;
}
