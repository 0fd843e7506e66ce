// The shape every subcommand has, and helpers they share.
import { booleanFlag, type FlagSpecs, type ParsedFlags } from './args.js';
import type { HelpText } from './help.js';
import type { CliIo, Env } from './io.js';
import { createProgress, silentProgress, type Progress } from './progress.js';
import { colorEnabled, createStyle, type Style } from './style.js';

export interface CommandContext {
  env: Env;
  io: CliIo;
  /** Styling for stderr (progress, errors). */
  errStyle: Style;
  /** Styling for stdout (the demo's headings). */
  outStyle: Style;
}

export interface Command {
  name: string;
  summary: string;
  flags: FlagSpecs;
  help: HelpText;
  allowPositionals?: boolean;
  execute(flags: ParsedFlags, ctx: CommandContext): Promise<number>;
}

export function createContext(env: Env, io: CliIo): CommandContext {
  return {
    env,
    io,
    errStyle: createStyle(colorEnabled(io.stderr, env)),
    outStyle: createStyle(colorEnabled(io.stdout, env)),
  };
}

/** Progress on stderr: nothing with --quiet, a spinner on a terminal, plain lines elsewhere. */
export function progressFor(flags: ParsedFlags, ctx: CommandContext, indent = ''): Progress {
  if (booleanFlag(flags, 'quiet')) return silentProgress;
  return createProgress({
    stream: ctx.io.stderr,
    style: ctx.errStyle,
    interactive: ctx.io.stderr.isTTY === true && ctx.env.TERM !== 'dumb',
    indent,
  });
}
