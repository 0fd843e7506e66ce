// Reading and judging a run's event stream: valid RunEvents, gap-free seq that matches the SSE id,
// exactly one terminal event at the end, and the stream closed after it.
import {
  formatValidationIssues,
  isTerminalRunEventType,
  validateRunEvent,
  type RunEvent,
  type RunState,
  type SseMessage,
  type ValidationIssue,
} from '@arp-ts/sdk';
import { readEventStream, type StreamReadResult } from '../event-stream.js';
import type { HttpClient } from '../http.js';
import { envelopeCode } from './expect.js';
import { runPath } from './runtime-runs.js';

/** How long a stream may stay open after its terminal event before the kit stops waiting. */
const CLOSE_GRACE_MS = 2_000;
const MAX_PROBLEMS = 10;

function parseEvent(message: SseMessage): unknown {
  try {
    return JSON.parse(message.data) as unknown;
  } catch {
    return undefined;
  }
}

function isTerminalMessage(message: SseMessage): boolean {
  const value = parseEvent(message);
  const result = validateRunEvent(value);
  return result.ok && isTerminalRunEventType(result.value.type);
}

export function streamRunEvents(
  http: HttpClient,
  runId: string,
  totalTimeoutMs: number,
  lastEventId?: string,
): Promise<StreamReadResult> {
  return readEventStream(http, runPath(runId, '/events'), {
    totalTimeoutMs,
    closeGraceMs: Math.min(CLOSE_GRACE_MS, totalTimeoutMs),
    isTerminal: isTerminalMessage,
    ...(lastEventId !== undefined ? { lastEventId } : {}),
  });
}

/**
 * Whether an answer to the events route of an EXISTING run says the route is not offered:
 * 405, 501, or a 404 that is not about the run (no envelope, or `route.not_found`).
 */
export function saysNotOffered(status: number, body: unknown): boolean {
  if (status === 405 || status === 501) return true;
  if (status !== 404) return false;
  const code = envelopeCode(body);
  return code === undefined || code === 'route.not_found';
}

export interface StreamAnalysis {
  events: RunEvent[];
  /** Violations of the standard (the check fails). */
  problems: string[];
  /** Doubtful but allowed behaviour (the check warns). */
  warnings: string[];
  schemaErrors: ValidationIssue[];
}

export interface AnalysisOptions {
  runId: string;
  /** The seq the first event must have (0, or Last-Event-ID + 1). */
  firstSeq: number;
  /** The run's terminal state, when known, to compare with the terminal event's type. */
  state?: RunState;
  /** Whether the stream must hold exactly one terminal event (default true). */
  checkTerminal?: boolean;
}

export function analyseStream(read: StreamReadResult, options: AnalysisOptions): StreamAnalysis {
  const problems: string[] = [];
  const warnings: string[] = [];
  const schemaErrors: ValidationIssue[] = [];
  const events: RunEvent[] = [];
  const problem = (text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
  };

  if (!/^text\/event-stream\b/i.test(read.contentType.trim())) {
    problem(`Content-Type is "${read.contentType || '(none)'}", expected text/event-stream`);
  }
  if (read.parseError) problem(`the stream is not valid SSE: ${read.parseError}`);
  if (read.end === 'too_large') problem('the stream is larger than the kit accepts');

  read.messages.forEach((message, index) => {
    const value = parseEvent(message);
    if (value === undefined) {
      problem(`event #${index}: data is not JSON`);
      return;
    }
    const result = validateRunEvent(value);
    if (!result.ok) {
      problem(`event #${index} is not a valid RunEvent: ${formatValidationIssues(result.errors)}`);
      schemaErrors.push(
        ...result.errors.map((e) => ({ ...e, path: `events[${index}]${e.path.slice(1)}` })),
      );
      return;
    }
    const event = result.value;
    events.push(event);
    if (event.run_id !== options.runId) {
      problem(`event #${index} has run_id "${event.run_id}", expected "${options.runId}"`);
    }
    const expectedSeq = options.firstSeq + index;
    if (event.seq !== expectedSeq) {
      problem(
        `event #${index} has seq ${event.seq}, expected ${expectedSeq} (gap-free from ${options.firstSeq})`,
      );
    }
    // The parser carries the last id over (as browsers do), so a message without its own id
    // shows the previous one, which differs from its seq all the same.
    if (message.id !== String(event.seq)) {
      problem(
        `event #${index}: SSE id is ${message.id === '' ? 'missing' : `"${message.id}"`}, expected "${event.seq}" (the seq)`,
      );
    }
  });

  if (options.checkTerminal === false) return { events, problems, warnings, schemaErrors };
  const terminals = events.filter((e) => isTerminalRunEventType(e.type));
  const last = events[events.length - 1];
  if (terminals.length === 0) {
    problem(`no terminal event (final or error) among ${events.length} events`);
  } else if (terminals.length > 1) {
    problem(`${terminals.length} terminal events, expected exactly one`);
  } else if (last && !isTerminalRunEventType(last.type)) {
    problem(`the terminal event is followed by "${last.type}" events`);
  }
  const terminal = terminals[0];
  if (terminal && options.state) {
    const expected = options.state === 'succeeded' ? 'final' : 'error';
    if (terminal.type !== expected) {
      problem(`the run ended ${options.state} but its terminal event is "${terminal.type}"`);
    }
  }
  if (terminal && read.end === 'timeout') {
    warnings.push(`the stream stayed open after the terminal event`);
  }
  return { events, problems, warnings, schemaErrors };
}

const TOOL_KEYS = ['tool_id', 'tool_name', 'tool', 'name'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tool ids and names an event's data or an output step mentions, wherever a runtime puts them. */
export function toolNamesOf(value: unknown): string[] {
  if (!isRecord(value)) return [];
  const names: string[] = [];
  for (const key of TOOL_KEYS) {
    const field = value[key];
    if (typeof field === 'string') names.push(field);
    else if (isRecord(field)) names.push(...toolNamesOf(field));
  }
  return names;
}

/** Whether a tool result (event data or output step) reports success. */
export function reportsSuccess(value: Record<string, unknown>): boolean {
  if (typeof value.ok === 'boolean') return value.ok;
  return value.error === undefined;
}

/** Tool executions the events show as successful (tool_result events that report success). */
export function countSuccessfulToolResults(events: readonly RunEvent[]): number {
  return events.filter(
    (e) => e.type === 'tool_result' && isRecord(e.data) && reportsSuccess(e.data),
  ).length;
}

/** A successful tool_result event for one of `tools`, if any. */
export function successfulToolResult(
  events: readonly RunEvent[],
  tools: readonly string[],
): RunEvent | undefined {
  return events.find(
    (e) =>
      e.type === 'tool_result' &&
      isRecord(e.data) &&
      toolNamesOf(e.data).some((n) => tools.includes(n)) &&
      reportsSuccess(e.data),
  );
}

/** Walks a run's output for a record of a successful use of one of `tools`; returns its path. */
export function successfulToolInOutput(
  value: unknown,
  tools: readonly string[],
  path = '$.output',
  depth = 0,
): string | undefined {
  if (depth > 8) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && i < 1000; i++) {
      const found = successfulToolInOutput(value[i], tools, `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (toolNamesOf(value).some((n) => tools.includes(n)) && value.ok === true) return path;
  for (const [key, child] of Object.entries(value)) {
    const found = successfulToolInOutput(child, tools, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Successful tool steps recorded in `output.steps`, when the runtime keeps such a list (undefined
 * otherwise). Only successful ones count: a runtime may list the steps it refused to run.
 */
export function countSuccessfulToolStepsInOutput(output: unknown): number | undefined {
  if (!isRecord(output) || !Array.isArray(output.steps)) return undefined;
  return output.steps.filter(
    (step) => isRecord(step) && toolNamesOf(step).length > 0 && step.ok === true,
  ).length;
}
