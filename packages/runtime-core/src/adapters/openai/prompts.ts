// The prompts of the three roles in OpenAI mode, and the plan's strict output schema.
import { formatValidationIssues } from '@arp-ts/sdk';
import type {
  ChatInput,
  PlannerInput,
  StepRecord,
  ToolArgsInput,
  ToolSummary,
} from '../../models.js';

/** Bounds what a prompt quotes from run data, so one huge result cannot blow the context. */
const MAX_QUOTED_CHARS = 20_000;

function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}...(truncated)` : text;
}

function inputLines(input: { goal: string; context?: unknown; data?: unknown }): string[] {
  const lines = [`Goal: ${input.goal}`];
  if (input.context !== undefined) lines.push(`Context: ${quote(input.context)}`);
  if (input.data !== undefined) lines.push(`Data: ${quote(input.data)}`);
  return lines;
}

function stepLines(steps: readonly StepRecord[]): string[] {
  const executed = steps.filter((step) => step.type === 'tool');
  if (executed.length === 0) return [];
  return ['Steps executed so far:', ...executed.map((step) => `- ${quote(step)}`)];
}

export const PLAN_FORMAT_NAME = 'plan';

/** Strict: every field required; `tool` and `intent` are null where they do not apply. */
export const PLAN_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['steps'],
  properties: {
    steps: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'tool', 'intent'],
        properties: {
          type: { type: 'string', enum: ['tool', 'plan'] },
          tool: { type: ['string', 'null'], description: 'Tool name, for tool steps.' },
          intent: {
            type: ['string', 'null'],
            description: 'What the step must achieve, with every concrete value it needs.',
          },
        },
      },
    },
  },
};

export function plannerInstructions(tools: readonly ToolSummary[]): string {
  const catalog = tools.length
    ? tools
        .map(
          (tool) =>
            `- ${tool.name}: ${tool.description ?? ''} Arguments schema: ${quote(tool.input_schema)}`,
        )
        .join('\n')
    : '(no tools are available)';
  return [
    'You are the planner of an agent runtime. Turn the goal into an ordered list of steps.',
    'A step is {"type":"tool","tool":<tool name>,"intent":<what to do with it, with concrete values>}',
    'or {"type":"plan","tool":null,"intent":<why>} to plan again once the steps before it have run',
    '(only when later steps depend on results not known yet).',
    'Use only the tools below. Return an empty list when the goal needs no tool.',
    'Tools:',
    catalog,
  ].join('\n');
}

export function plannerPrompt(input: PlannerInput): string {
  return [...inputLines(input), ...stepLines(input.steps)].join('\n');
}

export function toolArgsInstructions(input: ToolArgsInput): string {
  return [
    `You write the arguments of one call of the tool "${input.tool.name}".`,
    input.tool.description ? `The tool: ${input.tool.description}` : '',
    "Answer with a JSON object that matches the tool's arguments schema exactly.",
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function toolArgsPrompt(input: ToolArgsInput): string {
  const lines = inputLines(input);
  if (input.intent) lines.push(`This call must: ${input.intent}`);
  if (input.suggestedArgs) lines.push(`The planner suggested: ${quote(input.suggestedArgs)}`);
  lines.push(...stepLines(input.steps));
  if (input.repair) {
    lines.push(
      `Your previous arguments were: ${quote(input.repair.previousArgs)}`,
      `They are invalid: ${formatValidationIssues(input.repair.issues)}`,
      'Correct them.',
    );
  }
  return lines.join('\n');
}

export const CHAT_INSTRUCTIONS = [
  'You write the final answer to the user from the record of the steps the runtime executed.',
  'Use the tool results; say plainly when a step failed and why. Be brief.',
].join('\n');

export function chatPrompt(input: ChatInput): string {
  const steps = stepLines(input.steps);
  return [...inputLines(input), ...(steps.length ? steps : ['No tool was used.'])].join('\n');
}

/** A format name the API accepts: [A-Za-z0-9_-], at most 64 characters. */
export function formatName(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);
}
