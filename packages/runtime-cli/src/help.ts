// --help texts, rendered from the same flag tables the parser uses.
import type { FlagSpec, FlagSpecs } from './args.js';

export interface HelpText {
  /** e.g. `arp-runtime run` */
  command: string;
  summary: string;
  usage: string;
  description?: string;
  flags: FlagSpecs;
  examples: readonly string[];
  /** Extra sections, e.g. the OpenAI variables. */
  notes?: readonly { title: string; lines: readonly string[] }[];
}

function flagLabel(name: string, spec: FlagSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    ';
  const value = spec.type === 'string' ? ` ${spec.value ?? '<value>'}` : '';
  return `${short}--${name}${value}`;
}

function flagDetails(spec: FlagSpec): string {
  const extras: string[] = [];
  if (spec.env?.length) extras.push(`env: ${spec.env.join(', ')}`);
  if (spec.defaultText) extras.push(`default: ${spec.defaultText}`);
  return extras.length ? `${spec.description} [${extras.join('; ')}]` : spec.description;
}

export function renderHelp(help: HelpText): string {
  const entries = Object.entries(help.flags).map(([name, spec]) => ({
    label: flagLabel(name, spec),
    details: flagDetails(spec),
  }));
  const width = Math.min(32, Math.max(...entries.map((e) => e.label.length)) + 2);
  const lines: string[] = [`${help.command}: ${help.summary}`, '', `Usage: ${help.usage}`];
  if (help.description) lines.push('', help.description);
  lines.push('', 'Options:');
  for (const { label, details } of entries) {
    if (label.length + 2 > width) lines.push(`  ${label}`, `  ${' '.repeat(width)}${details}`);
    else lines.push(`  ${label.padEnd(width)}${details}`);
  }
  for (const note of help.notes ?? []) lines.push('', `${note.title}:`, ...note.lines);
  lines.push('', 'Examples:', ...help.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

export const OPENAI_NOTE = {
  title: 'OpenAI mode (--mode openai)',
  lines: [
    '  OPENAI_API_KEY / JARVIS_OPENAI_API_KEY    required',
    '  OPENAI_BASE_URL / JARVIS_OPENAI_BASE_URL  default https://api.openai.com/v1',
    '  JARVIS_MODEL_DEFAULT                      default gpt-5-nano',
    '  JARVIS_MODEL_PLANNER, JARVIS_MODEL_TOOL_ARGS, JARVIS_MODEL_CHAT   per-role models',
    '  JARVIS_OPENAI_API_STYLE                   responses (default) or chat_completions',
    '  JARVIS_OPENAI_MAX_RETRIES, JARVIS_OPENAI_TIMEOUT_MS',
  ],
} as const;

export const EXIT_CODES_NOTE = {
  title: 'Exit codes',
  lines: [
    '  0  the run succeeded',
    '  1  the run failed (its error code and message are printed on stderr)',
    '  2  usage or configuration error',
  ],
} as const;
