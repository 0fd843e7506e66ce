// `arp-runtime replay --trace <path> [--original]`: reruns Chat over the steps recorded in a
// trace (no tool is invoked), or prints the recorded final text with --original.
import path from 'node:path';
import { booleanFlag, stringFlag, type ParsedFlags } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { resolveModelMode } from '../config.js';
import { createModels } from '../deps.js';
import { EXIT_OK, errorCodeOf, failure, usageError } from '../errors.js';
import { modelFlags } from '../flags.js';
import { OPENAI_NOTE } from '../help.js';
import { writeLine } from '../io.js';

const flags = {
  trace: {
    type: 'string',
    short: 't',
    value: '<path>',
    description: 'The trace.jsonl of a recorded run.',
  },
  original: {
    type: 'boolean',
    description: 'Print the recorded final text instead of running Chat again.',
  },
  json: {
    type: 'boolean',
    description: 'Print { run_id, final_text, source, steps } as JSON.',
  },
  ...modelFlags,
  verbose: { type: 'boolean', description: 'Show stack traces and error details.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
} as const;

async function execute(parsed: ParsedFlags, ctx: CommandContext): Promise<number> {
  const trace = stringFlag(parsed, 'trace');
  if (!trace) {
    throw usageError(
      'missing --trace <path>',
      'for example: arp-runtime replay --trace ./runs/<run_id>/trace.jsonl',
    );
  }
  const tracePath = path.resolve(ctx.io.cwd, trace);
  const original = booleanFlag(parsed, 'original');
  // Only a Chat replay needs models (and, in openai mode, a key).
  const models = original
    ? undefined
    : await createModels(resolveModelMode(parsed, ctx.env), ctx.env);
  const { replay, ReplayError } = await import('@arp-ts/runtime-core/replay');
  let result;
  try {
    result = await replay(tracePath, {
      original,
      ...(models ? { models } : {}),
      ...(ctx.io.interrupt ? { signal: ctx.io.interrupt } : {}),
    });
  } catch (err) {
    const code = errorCodeOf(err);
    if (code === 'ENOENT') {
      throw usageError(
        `no trace at ${tracePath}`,
        'traces are written to <trace-dir>/<run_id>/trace.jsonl',
      );
    }
    if (code === 'EISDIR') {
      throw usageError(
        `${tracePath} is a directory`,
        `pass its trace file: ${path.join(trace, 'trace.jsonl')}`,
      );
    }
    if (code === 'EACCES') throw usageError(`cannot read ${tracePath} (permission denied)`);
    if (err instanceof ReplayError) throw failure(`cannot replay ${tracePath}: ${err.message}`);
    throw err;
  }
  if (booleanFlag(parsed, 'json')) writeLine(ctx.io.stdout, JSON.stringify(result, null, 2));
  else writeLine(ctx.io.stdout, result.final_text);
  return EXIT_OK;
}

export const replayCommand: Command = {
  name: 'replay',
  summary: 'replay Chat from a recorded trace',
  flags,
  help: {
    command: 'arp-runtime replay',
    summary: 'replay Chat from a recorded trace',
    usage: 'arp-runtime replay --trace <path> [--original] [options]',
    description: [
      'Reads a run trace (trace.jsonl) and runs Chat again over the recorded plan and tool steps,',
      'without invoking any tool; prints the final text on stdout. With --original it prints the',
      'final text the run recorded. Exit 1 when the trace cannot be replayed (e.g. the run failed',
      'and --original has no final text), 2 when the path is wrong.',
    ].join('\n'),
    flags,
    notes: [OPENAI_NOTE],
    examples: [
      'arp-runtime replay --trace ./runs/run_0123abcd/trace.jsonl',
      'arp-runtime replay --trace ./runs/run_0123abcd/trace.jsonl --original',
      'arp-runtime replay --trace ./runs/run_0123abcd/trace.jsonl --mode openai',
    ],
  },
  execute,
};
