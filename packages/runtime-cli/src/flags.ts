// The flag tables shared by several subcommands (parsing and --help both read them).
import type { FlagSpecs } from './args.js';
import { DEFAULT_TRACE_DIR, ENV } from './config.js';

export const outputFlags = {
  quiet: { type: 'boolean', short: 'q', description: 'Print no progress on stderr.' },
  verbose: { type: 'boolean', description: 'Show stack traces and error details.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
} as const satisfies FlagSpecs;

export const toolRegistryFlags = {
  'tool-registry': {
    type: 'string',
    value: 'http|inproc',
    description: 'Which Tool Registry to use: the embedded one (inproc) or one over HTTP.',
    env: ENV.toolRegistryMode,
    defaultText: 'inproc, or http when a URL is given',
  },
  'tool-registry-url': {
    type: 'string',
    value: '<url>',
    description: 'Base URL of an ARP Tool Registry (implies --tool-registry http).',
    env: ENV.toolRegistryUrl,
  },
} as const satisfies FlagSpecs;

export const traceFlags = {
  'trace-dir': {
    type: 'string',
    value: '<dir>',
    description: 'Where runs are recorded (<dir>/<run_id>/trace.jsonl).',
    env: ENV.traceDir,
    defaultText: DEFAULT_TRACE_DIR,
  },
  'redact-prompts': {
    type: 'boolean',
    description: 'Record prompts in traces as a sha256 and a length only.',
    env: ENV.redactPrompts,
  },
} as const satisfies FlagSpecs;

export const modelFlags = {
  mode: {
    type: 'string',
    value: 'stub|openai',
    description: 'Model mode: deterministic stub, or OpenAI (needs OPENAI_API_KEY).',
    env: ENV.runtimeMode,
    defaultText: 'stub',
  },
} as const satisfies FlagSpecs;

export const runLimitFlags = {
  'max-steps': {
    type: 'string',
    value: '<n>',
    description: 'Most plan and tool steps a run may execute.',
    defaultText: '16',
  },
  'timeout-ms': { type: 'string', value: '<ms>', description: 'Deadline for the whole run.' },
  'max-tokens': { type: 'string', value: '<n>', description: 'Most model tokens a run may use.' },
  'allow-tool': {
    type: 'string',
    multiple: true,
    value: '<id>',
    description: 'Only offer this tool (tool_id or name; repeatable or comma-separated).',
  },
  'deny-tool': {
    type: 'string',
    multiple: true,
    value: '<id>',
    description: 'Never invoke this tool (deny wins over allow).',
  },
} as const satisfies FlagSpecs;
