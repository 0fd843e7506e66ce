// Live progress on stderr: each step as it starts and ends. On a terminal the running step shows a
// spinner with its elapsed time and is replaced by its outcome; elsewhere (CI logs, pipes) every
// start and end is a plain line. stdout is never touched, so it stays scriptable.
import type { OutputStream } from './io.js';
import { formatDuration, truncate, type Style } from './style.js';

export interface StepStart {
  /** Identifies the step so its end can find it. */
  key: string;
  /** What runs, e.g. the tool name. */
  label: string;
  /** Extra detail, e.g. the arguments. */
  detail?: string;
}

export interface StepEnd {
  key: string;
  ok: boolean;
  /** The outcome in a few words: a result or an error code and message. */
  summary: string;
  durationMs?: number;
}

export interface ProgressOptions {
  stream: OutputStream;
  style: Style;
  /** Spinner and in-place updates (a TTY); plain lines otherwise. */
  interactive: boolean;
  /** Prefix of every line (the demo indents its steps). */
  indent?: string;
  now?: () => number;
}

export interface Progress {
  stepStarted(step: StepStart): void;
  stepEnded(step: StepEnd): void;
  /** A line of its own, e.g. the plan; printed above the spinner. */
  note(text: string): void;
  /** Stops the spinner and clears its line. Idempotent. */
  stop(): void;
}

const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const SPINNER_INTERVAL_MS = 80;
const CLEAR_LINE = '\r\u001b[2K';

interface Running extends StepStart {
  startedAt: number;
}

/** A Progress that prints nothing (`--quiet`, `--json`). */
export const silentProgress: Progress = {
  stepStarted: () => undefined,
  stepEnded: () => undefined,
  note: () => undefined,
  stop: () => undefined,
};

export function createProgress(options: ProgressOptions): Progress {
  const { stream, style, interactive } = options;
  const indent = options.indent ?? '';
  const now = options.now ?? Date.now;
  const running = new Map<string, Running>();
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  let spinnerShown = false;

  const describe = (step: StepStart): string =>
    `${style.cyan(step.label)}${step.detail ? ` ${step.detail}` : ''}`;

  const clearSpinner = (): void => {
    if (spinnerShown) stream.write(CLEAR_LINE);
    spinnerShown = false;
  };

  const drawSpinner = (): void => {
    const latest = [...running.values()].at(-1);
    if (!latest) {
      clearSpinner();
      return;
    }
    const glyph = style.cyan(SPINNER_FRAMES[frame % SPINNER_FRAMES.length] ?? '-');
    const elapsed = formatDuration(now() - latest.startedAt);
    // The line is redrawn in place, so it must never wrap: shorten the detail to the width.
    const room = (stream.columns ?? 100) - indent.length - latest.label.length - elapsed.length - 6;
    const detail = latest.detail && room > 8 ? truncate(latest.detail, room) : undefined;
    const shown = detail ? { ...latest, detail } : { ...latest, detail: undefined };
    stream.write(`${CLEAR_LINE}${indent}${glyph} ${describe(shown)} ${style.dim(elapsed)}`);
    spinnerShown = true;
  };

  const ensureTimer = (): void => {
    if (timer || !interactive) return;
    timer = setInterval(() => {
      frame++;
      drawSpinner();
    }, SPINNER_INTERVAL_MS);
    timer.unref();
  };

  const stopTimerIfIdle = (): void => {
    if (timer && running.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    stepStarted(step) {
      running.set(step.key, { ...step, startedAt: now() });
      if (interactive) {
        ensureTimer();
        drawSpinner();
      } else {
        stream.write(`${indent}${style.dim('…')} ${describe(step)}\n`);
      }
    },
    stepEnded(end) {
      const step = running.get(end.key);
      running.delete(end.key);
      const mark = end.ok ? style.green('✔') : style.red('✖');
      // On a terminal the start line was replaced, so the end line repeats the details; in plain
      // output the start line is still there right above.
      const label = step ? (interactive ? describe(step) : style.cyan(step.label)) : '';
      const took = end.durationMs ?? (step ? now() - step.startedAt : undefined);
      const timing = took === undefined ? '' : ` ${style.dim(`(${formatDuration(took)})`)}`;
      const summary = end.ok ? end.summary : style.red(end.summary);
      const arrow = label && summary ? ' → ' : '';
      const line = `${indent}${mark} ${label}${arrow}${summary}${timing}`;
      if (interactive) {
        clearSpinner();
        stream.write(`${line}\n`);
        drawSpinner();
        stopTimerIfIdle();
      } else {
        stream.write(`${line}\n`);
      }
    },
    note(text) {
      if (interactive) clearSpinner();
      stream.write(`${indent}${text}\n`);
      if (interactive) drawSpinner();
    },
    stop() {
      running.clear();
      if (timer) clearInterval(timer);
      timer = undefined;
      if (interactive) clearSpinner();
    },
  };
}
