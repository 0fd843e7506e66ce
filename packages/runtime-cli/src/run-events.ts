// Turns a run's RunEvents into progress lines: a step appears when it starts (a tool step once its
// arguments are known) and ends with its outcome and duration.
import type { ArpError, RunEvent } from '@arp-ts/sdk';
import type { Progress } from './progress.js';
import { truncate } from './style.js';

export interface RunEventListener {
  emit(event: RunEvent): void;
}

const DETAIL_CHARS = 60;
const SUMMARY_CHARS = 80;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorOf(value: unknown): ArpError | undefined {
  if (!isRecord(value)) return undefined;
  const { code, message } = value;
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : undefined;
}

/** A JSON preview of a value, one line, bounded. */
export function preview(value: unknown, max: number): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return truncate(text, max);
}

/**
 * A tool result in a few characters: keys that merely echo the arguments are dropped, and a single
 * remaining value is shown bare (calc `{"expression":"19*23","value":437}` reads `437`, echo
 * `{"text":"hi"}` reads `"hi"`).
 */
export function summarizeResult(result: unknown, args: unknown): string {
  if (!isRecord(result)) return preview(result, SUMMARY_CHARS);
  const echoed = isRecord(args) ? args : {};
  const rest = Object.entries(result).filter(
    ([key, value]) => !(key in echoed) || preview(echoed[key], 200) !== preview(value, 200),
  );
  const entries = rest.length > 0 ? rest : Object.entries(result);
  const [only] = entries;
  if (entries.length === 1 && only) return preview(only[1], SUMMARY_CHARS);
  if (rest.length === 0) return preview(result, SUMMARY_CHARS);
  return preview(Object.fromEntries(rest), SUMMARY_CHARS);
}

export function describeError(error: ArpError): string {
  return truncate(`${error.code}: ${error.message}`, SUMMARY_CHARS + 40);
}

/** The label a step shows: the tool's name for tool steps, else its type (plan, chat). */
function labelOf(data: Record<string, unknown>): string {
  if (typeof data.tool === 'string') return data.tool;
  return typeof data.type === 'string' ? data.type : 'step';
}

export function renderRunEvents(progress: Progress): RunEventListener {
  /** Steps whose start line was shown and whose end is not yet shown. */
  const open = new Set<string>();
  /** Steps whose end was already shown (by their tool_result). */
  const ended = new Set<string>();
  /** Arguments of the tool calls in flight, to shorten their results. */
  const argsByStep = new Map<string, unknown>();
  /** Tool steps that started but whose tool_call has not come yet: key -> tool name. */
  const awaitingCall = new Map<string, string>();

  return {
    emit(event) {
      const data = isRecord(event.data) ? event.data : {};
      const key = String(data.index ?? event.seq);
      switch (event.type) {
        case 'step': {
          const label = labelOf(data);
          if (data.phase === 'started') {
            // Tool steps wait for their tool_call, which carries the arguments.
            if (data.type !== 'tool') {
              progress.stepStarted({ key, label });
              open.add(key);
            } else {
              awaitingCall.set(key, label);
            }
            return;
          }
          awaitingCall.delete(key);
          if (ended.has(key)) return;
          const error = errorOf(data.error);
          const ok = data.ok === true && !error;
          if (!open.has(key)) progress.stepStarted({ key, label });
          open.delete(key);
          ended.add(key);
          argsByStep.delete(key);
          progress.stepEnded({ key, ok, summary: error ? describeError(error) : '' });
          return;
        }
        case 'tool_call': {
          awaitingCall.delete(key);
          argsByStep.set(key, data.args);
          progress.stepStarted({
            key,
            label: labelOf(data),
            detail: preview(data.args, DETAIL_CHARS),
          });
          open.add(key);
          return;
        }
        case 'tool_result': {
          const error = errorOf(data.error);
          const ok = data.ok === true;
          const summary = ok
            ? summarizeResult(data.result, argsByStep.get(key))
            : error
              ? describeError(error)
              : 'failed';
          const durationMs = typeof data.duration_ms === 'number' ? data.duration_ms : undefined;
          open.delete(key);
          ended.add(key);
          argsByStep.delete(key);
          progress.stepEnded({
            key,
            ok,
            summary,
            ...(durationMs === undefined ? {} : { durationMs }),
          });
          return;
        }
        case 'error': {
          // The run stopped inside a step (registry down, deadline, cancel): close that step
          // with the code; the command prints the full message.
          const code = errorOf(data.error)?.code ?? 'failed';
          for (const [pendingKey, label] of awaitingCall) {
            progress.stepStarted({ key: pendingKey, label });
            open.add(pendingKey);
          }
          awaitingCall.clear();
          for (const openKey of open)
            progress.stepEnded({ key: openKey, ok: false, summary: code });
          open.clear();
          return;
        }
        default:
          // token and final: the command prints the outcome itself.
          return;
      }
    },
  };
}
