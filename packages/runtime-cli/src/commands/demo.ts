// `arp-runtime demo`: a short tour of the runtime. A few requests run one after another against
// the embedded Tool Registry (by default); each step appears live on stderr and each answer on
// stdout. Exit 0 when every request produced an answer.
import path from 'node:path';
import type { RunResult } from '@arp-ts/sdk';
import type { ParsedFlags } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { progressFor } from '../command.js';
import { registryUnreachableHint } from '../deps.js';
import { EXIT_FAILURE, EXIT_OK, failure } from '../errors.js';
import { modelFlags, outputFlags, runLimitFlags, toolRegistryFlags, traceFlags } from '../flags.js';
import { OPENAI_NOTE } from '../help.js';
import { writeLine } from '../io.js';
import { renderRunEvents } from '../run-events.js';
import {
  openRunSession,
  resolveRunSettings,
  type RunSession,
  type RunSettings,
} from '../run-session.js';
import { formatDuration, type Style } from '../style.js';
import { failureLines, finalTextOf } from './run.js';

export interface DemoRequest {
  /** What the request shows. */
  topic: string;
  goal: string;
}

export const DEMO_REQUESTS: readonly DemoRequest[] = [
  { topic: 'arithmetic', goal: 'What is (19*23)?' },
  { topic: 'time zones', goal: 'What time is it in Asia/Tokyo?' },
  { topic: 'echo', goal: 'Hello from the ARP runtime!' },
  { topic: 'two intents, two tools', goal: 'What is (2+3) and what time is it in UTC?' },
  { topic: 'a tool error, handled', goal: 'What is (1/0)?' },
];

const flags = {
  ...toolRegistryFlags,
  ...traceFlags,
  ...modelFlags,
  ...runLimitFlags,
  ...outputFlags,
} as const;

function describeSetup(settings: RunSettings): string {
  const models =
    settings.mode === 'stub' ? 'stub models (deterministic, offline)' : 'OpenAI models';
  const registry =
    settings.registry.mode === 'inproc'
      ? 'embedded Tool Registry'
      : `Tool Registry at ${settings.registry.url}`;
  return `${models} · ${registry}`;
}

/** The trace dir as the user would type it: relative to the working directory when inside it. */
function displayDir(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? dir : `${relative}${path.sep}`;
}

function failedToolSteps(result: RunResult): number {
  const steps = result.output?.steps;
  if (!Array.isArray(steps)) return 0;
  return steps.filter(
    (s: unknown) =>
      typeof s === 'object' &&
      s !== null &&
      'type' in s &&
      s.type === 'tool' &&
      'ok' in s &&
      s.ok === false,
  ).length;
}

function printAnswer(ctx: CommandContext, style: Style, text: string): void {
  const [first = '', ...rest] = text.split('\n');
  writeLine(ctx.io.stdout, `  ${style.green('⇒')} ${style.bold(first)}`);
  for (const line of rest) writeLine(ctx.io.stdout, `    ${style.bold(line)}`);
}

/** With an HTTP registry, one quick look before the tour, so an outage is one clear error. */
async function checkRegistry(session: RunSession): Promise<void> {
  const registry = session.settings.registry;
  if (registry.mode !== 'http') return;
  try {
    await session.toolRegistry.listTools();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw failure(
      `cannot reach the Tool Registry at ${registry.url} (${reason})`,
      registryUnreachableHint(registry.url),
    );
  }
}

async function execute(parsed: ParsedFlags, ctx: CommandContext): Promise<number> {
  const settings = resolveRunSettings(parsed, ctx.env, ctx.io);
  const style = ctx.outStyle;
  const out = ctx.io.stdout;
  const session = await openRunSession(settings, ctx.env);
  const total = DEMO_REQUESTS.length;
  let answered = 0;
  let toolErrors = 0;
  const started = Date.now();
  try {
    await checkRegistry(session);
    writeLine(
      out,
      `${style.bold('ARP Runtime demo')}: ${total} requests · ${describeSetup(settings)}`,
    );
    writeLine(
      out,
      style.dim('Each run goes Planner → Tool Executor → Chat; steps appear as they happen.'),
    );
    for (const [i, request] of DEMO_REQUESTS.entries()) {
      if (ctx.io.interrupt?.aborted) break;
      writeLine(out);
      writeLine(
        out,
        `${style.cyan(`[${i + 1}/${total}]`)} ${style.bold(request.goal)} ${style.dim(`(${request.topic})`)}`,
      );
      const progress = progressFor(parsed, ctx, '  ');
      let result: RunResult;
      try {
        ({
          outcome: { result },
        } = await session.run(request.goal, renderRunEvents(progress), ctx.io.interrupt));
      } finally {
        progress.stop();
      }
      toolErrors += failedToolSteps(result);
      if (result.ok) {
        answered++;
        printAnswer(ctx, style, finalTextOf(result));
      } else {
        for (const line of failureLines(result, settings)) writeLine(out, `  ${style.red(line)}`);
      }
    }
  } finally {
    await session.close();
  }
  const elapsed = formatDuration(Date.now() - started);
  const handled =
    toolErrors > 0 ? ` · ${toolErrors} tool error${toolErrors === 1 ? '' : 's'} handled` : '';
  writeLine(out);
  const mark = answered === total ? style.green('✔') : style.red('✖');
  writeLine(
    out,
    `${mark} ${answered} of ${total} requests answered in ${elapsed}${handled} · traces in ${displayDir(settings.traceDir, ctx.io.cwd)}`,
  );
  if (answered === total) {
    writeLine(
      out,
      style.dim(
        'Next: arp-runtime run --request "What is (7*6)?"  ·  arp-runtime serve  ·  arp-runtime --help',
      ),
    );
    return EXIT_OK;
  }
  return EXIT_FAILURE;
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run a short multi-request demo with live steps',
  flags,
  help: {
    command: 'arp-runtime demo',
    summary: 'run a short multi-request demo with live steps',
    usage: 'arp-runtime demo [options]',
    description: [
      'Runs a few requests one after another (arithmetic, a time zone, echo, a goal with two',
      'intents, and one tool error that the run handles). Steps appear on stderr as they start and',
      'end; the answers go to stdout. Uses the embedded Tool Registry unless a URL is given.',
      'Exit 0 when every request produced an answer.',
    ].join('\n'),
    flags,
    notes: [OPENAI_NOTE],
    examples: [
      'arp-runtime demo',
      'arp-runtime tool-registry &  arp-runtime demo --tool-registry-url http://127.0.0.1:8000',
      'arp-runtime demo --trace-dir /tmp/arp-runs --quiet',
    ],
  },
  execute,
};
