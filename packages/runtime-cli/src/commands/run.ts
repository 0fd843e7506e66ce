// `arp-runtime run --request "<text>"`: one run; the final text on stdout (or the RunResult with
// --json), progress and the trace path on stderr. Exit 0 when the run succeeded, 1 when it failed.
import type { RunResult } from '@arp-ts/sdk';
import { booleanFlag, stringFlag, type ParsedFlags } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { progressFor } from '../command.js';
import { registryUnreachableHint } from '../deps.js';
import { EXIT_FAILURE, EXIT_OK, usageError } from '../errors.js';
import { modelFlags, outputFlags, runLimitFlags, toolRegistryFlags, traceFlags } from '../flags.js';
import { EXIT_CODES_NOTE, OPENAI_NOTE } from '../help.js';
import { writeLine } from '../io.js';
import { renderRunEvents } from '../run-events.js';
import { openRunSession, resolveRunSettings, type RunSettings } from '../run-session.js';

/** Longest request accepted on the command line. */
export const MAX_GOAL_CHARS = 100_000;

const flags = {
  request: {
    type: 'string',
    short: 'r',
    value: '<text>',
    description: 'What the agent should do.',
  },
  json: {
    type: 'boolean',
    description: 'Print the RunResult as JSON on stdout instead of the text.',
  },
  ...toolRegistryFlags,
  ...traceFlags,
  ...modelFlags,
  ...runLimitFlags,
  ...outputFlags,
} as const;

/** The one or two lines that explain a failed run on stderr. */
export function failureLines(result: RunResult, settings: RunSettings): string[] {
  const error = result.error ?? { code: 'runtime.internal_error', message: 'the run failed' };
  const lines = [`error: ${error.code}: ${error.message}`];
  if (error.code === 'tool_registry.unavailable' && settings.registry.mode === 'http') {
    lines.push(`hint: ${registryUnreachableHint(settings.registry.url)}`);
  } else if (error.code === 'limits.max_steps_exceeded') {
    lines.push('hint: raise the limit with --max-steps <n>');
  } else if (error.code === 'limits.timeout') {
    lines.push('hint: raise the deadline with --timeout-ms <ms>');
  }
  return lines;
}

function goalOf(parsed: ParsedFlags): string {
  const goal = (stringFlag(parsed, 'request') ?? parsed.positionals.join(' ')).trim();
  if (!goal) {
    throw usageError(
      'missing the request to run',
      `for example: arp-runtime run --request "What is (19*23)?"`,
    );
  }
  if (goal.length > MAX_GOAL_CHARS) {
    throw usageError(
      `the request is too long (${goal.length} characters, at most ${MAX_GOAL_CHARS})`,
    );
  }
  return goal;
}

async function execute(parsed: ParsedFlags, ctx: CommandContext): Promise<number> {
  const goal = goalOf(parsed);
  const settings = resolveRunSettings(parsed, ctx.env, ctx.io);
  const json = booleanFlag(parsed, 'json');
  const quiet = booleanFlag(parsed, 'quiet');
  const session = await openRunSession(settings, ctx.env);
  const progress = progressFor(parsed, ctx);
  let outcome;
  let tracePath;
  try {
    ({ outcome, tracePath } = await session.run(goal, renderRunEvents(progress), ctx.io.interrupt));
  } finally {
    progress.stop();
    await session.close();
  }
  const { result } = outcome;
  if (json) writeLine(ctx.io.stdout, JSON.stringify(result, null, 2));
  else if (result.ok) writeLine(ctx.io.stdout, finalTextOf(result));
  if (!quiet) writeLine(ctx.io.stderr, `trace: ${tracePath}`);
  if (result.ok) return EXIT_OK;
  for (const line of failureLines(result, settings)) writeLine(ctx.io.stderr, line);
  return EXIT_FAILURE;
}

export function finalTextOf(result: RunResult): string {
  const text = result.output?.final_text;
  return typeof text === 'string' ? text : '';
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run one request and print the final answer',
  flags,
  allowPositionals: true,
  help: {
    command: 'arp-runtime run',
    summary: 'run one request and print the final answer',
    usage: 'arp-runtime run --request "<text>" [options]',
    description: [
      'Runs Planner -> Tool Executor -> Chat once. stdout gets only the final text (or, with',
      '--json, exactly the RunResult JSON), so it can be captured by scripts; progress and',
      '`trace: <path>` go to stderr. The trace is <trace-dir>/<run_id>/trace.jsonl.',
    ].join('\n'),
    flags,
    notes: [EXIT_CODES_NOTE, OPENAI_NOTE],
    examples: [
      'arp-runtime run --request "What is (19*23)?"',
      'arp-runtime run --request "What time is it in Asia/Tokyo?" --json',
      'arp-runtime run --request "What time is it in UTC?" --tool-registry-url http://127.0.0.1:8000',
      'arp-runtime run --request "Say hello" --mode openai --trace-dir /tmp/runs',
    ],
  },
  execute,
};
