// Per-run state of runFlow: step record, usage, seq counters of both event streams, and the
// run's stop signal (cancel or deadline). Events are only built when a sink listens.
import type { RunEventType, RunInput, RunRequest, ToolPolicy, TraceLevel } from '@arp-ts/sdk';
import type { ModelRoles, StepRecord, TokenUsage, ToolSummary } from '../models.js';
import type { Clock, IdSource, RunEventSink, ToolRegistryPort, TraceSink } from '../ports.js';
import { CANCELED, FlowFailure, TIMED_OUT } from './failure.js';
import type { FlowDeps, RunUsage } from './types.js';
import { DEFAULT_MAX_STEPS } from './types.js';
import { randomIds, systemClock } from './defaults.js';
import { isoTime } from '../iso-time.js';
import { redactPrompt } from '../redact.js';

const MAX_TIMER_MS = 2_147_483_647;

export class RunContext {
  readonly runId: string;
  readonly input: RunInput;
  readonly models: ModelRoles;
  readonly registry: ToolRegistryPort;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly deps: FlowDeps;
  readonly policy: ToolPolicy | undefined;
  readonly maxSteps: number;
  readonly maxTokens: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly startedMs: number;

  /** Undefined when nobody listens: event objects are then never built. */
  readonly trace: TraceSink | undefined;
  readonly events: RunEventSink | undefined;
  private traceSeq = 0;
  private eventSeq = 0;

  readonly steps: StepRecord[] = [];
  /** Executed plan and tool steps that count against max_steps (not the first plan). */
  countedSteps = 0;
  /** The tools offered to the planner, fetched on the planner's first ask. */
  offeredTools: Promise<ToolSummary[]> | undefined;
  toolCalls = 0;
  modelCalls = 0;
  inputTokens = 0;
  outputTokens = 0;
  totalTokens = 0;

  /** Present only when the run can be stopped (an outside signal or a deadline). */
  readonly signal: AbortSignal | undefined;
  private outerSignal: AbortSignal | undefined;
  private onOuterAbort: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopPromise: Promise<never> | undefined;

  constructor(request: RunRequest, deps: FlowDeps, outerSignal: AbortSignal | undefined) {
    this.deps = deps;
    this.clock = deps.clock ?? systemClock;
    this.ids = deps.ids ?? randomIds;
    this.startedMs = this.clock.now();
    this.runId = request.run_id ?? this.ids.runId();
    this.input = request.input;
    this.models = deps.models;
    this.registry = deps.toolRegistry;
    this.trace = deps.trace;
    this.events = deps.events;
    this.policy = request.tool_policy;
    const limits = request.limits;
    this.maxSteps = limits?.max_steps ?? DEFAULT_MAX_STEPS;
    this.maxTokens = limits?.max_tokens;

    const timeoutMs = limits?.timeout_ms;
    this.timeoutMs = timeoutMs;
    // 0 means no deadline; beyond setTimeout's range there is none in practice either.
    const hasDeadline = timeoutMs !== undefined && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS;
    if (hasDeadline) {
      const controller = new AbortController();
      this.signal = controller.signal;
      if (outerSignal?.aborted) controller.abort(CANCELED);
      else if (outerSignal) {
        this.outerSignal = outerSignal;
        this.onOuterAbort = () => controller.abort(CANCELED);
        outerSignal.addEventListener('abort', this.onOuterAbort, { once: true });
      }
      if (!controller.signal.aborted) {
        this.timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
      }
    } else {
      // Without a deadline every stop is a cancel: the caller's signal serves as it is (an
      // AbortController per run costs more than the rest of a stub run's bookkeeping).
      this.signal = outerSignal;
    }
  }

  /** Releases the timer and the listener on the outside signal. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.outerSignal && this.onOuterAbort) {
      this.outerSignal.removeEventListener('abort', this.onOuterAbort);
    }
  }

  get stopped(): boolean {
    return this.signal?.aborted === true;
  }

  /** The failure that matches why the run was stopped. */
  stopFailure(): FlowFailure {
    if (this.signal?.reason === TIMED_OUT) {
      return new FlowFailure({
        code: 'limits.timeout',
        message: `the run exceeded its deadline of ${this.timeoutMs} ms`,
        details: { timeout_ms: this.timeoutMs },
      });
    }
    return new FlowFailure({ code: 'run.canceled', message: 'the run was canceled' }, 'canceled');
  }

  /** Throws the stop failure when the run has been stopped. */
  checkStopped(): void {
    if (this.signal?.aborted) throw this.stopFailure();
  }

  /**
   * Settles with the promise, or rejects with the stop failure as soon as the run is stopped, so
   * a call that ignores its signal cannot hold the run past its deadline.
   */
  guard<T>(promise: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (!signal) return promise;
    if (!this.stopPromise) {
      this.stopPromise = new Promise<never>((_, reject) => {
        const stop = (): void => reject(this.stopFailure());
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      });
      // Nobody may be racing it when it fires; that is fine.
      this.stopPromise.catch(() => undefined);
    }
    return Promise.race([promise, this.stopPromise]);
  }

  isoNow(): string {
    return isoTime(this.clock.now());
  }

  emitTrace(type: string, level: TraceLevel, data: Record<string, unknown>): void {
    const sink = this.trace;
    if (!sink) return;
    const event = {
      run_id: this.runId,
      seq: this.traceSeq++,
      time: this.isoNow(),
      level,
      type,
      data,
    };
    try {
      sink.emit(event);
    } catch {
      // Sinks must not throw; one that does must not break the run (or runFlow's promise).
    }
  }

  emitEvent(type: RunEventType, data: Record<string, unknown>): void {
    const sink = this.events;
    if (!sink) return;
    const event = { run_id: this.runId, seq: this.eventSeq++, type, time: this.isoNow(), data };
    try {
      sink.emit(event);
    } catch {
      // As above: a throwing sink loses its event, the run goes on.
    }
  }

  stepStarted(record: StepRecord): void {
    if (this.events) {
      const data: Record<string, unknown> = {
        index: record.index,
        type: record.type,
        phase: 'started',
      };
      if (record.tool !== undefined) data.tool = record.tool;
      this.emitEvent('step', data);
    }
    if (this.trace) {
      const data: Record<string, unknown> = { index: record.index, type: record.type };
      if (record.tool !== undefined) data.tool = record.tool;
      this.emitTrace('step_started', 'info', data);
    }
  }

  stepCompleted(record: StepRecord): void {
    if (this.events) {
      const data: Record<string, unknown> = {
        index: record.index,
        type: record.type,
        phase: 'completed',
        ok: record.ok === true,
      };
      if (record.tool !== undefined) data.tool = record.tool;
      if (record.error !== undefined) data.error = record.error;
      this.emitEvent('step', data);
    }
    if (this.trace) {
      this.emitTrace('step_completed', record.ok === false ? 'warn' : 'info', { ...record });
    }
  }

  /** Adds a model call's tokens and enforces limits.max_tokens. */
  addUsage(usage: TokenUsage | undefined): void {
    this.modelCalls++;
    if (!usage) return;
    this.inputTokens += usage.input_tokens;
    this.outputTokens += usage.output_tokens;
    this.totalTokens += usage.total_tokens;
    if (this.maxTokens !== undefined && this.totalTokens > this.maxTokens) {
      throw new FlowFailure({
        code: 'limits.max_tokens_exceeded',
        message: `the run used ${this.totalTokens} model tokens, more than its limit of ${this.maxTokens}`,
        details: { max_tokens: this.maxTokens, total_tokens: this.totalTokens },
      });
    }
  }

  /** The `llm_call` hook for a model role; undefined when no trace listens. */
  promptHook(role: string): ((call: { model: string; prompt: string }) => void) | undefined {
    if (!this.trace) return undefined;
    const redact = this.deps.redactPrompts === true;
    return (call) => {
      this.emitTrace('llm_call', 'info', {
        role,
        model: call.model,
        prompt: redact ? redactPrompt(call.prompt) : call.prompt,
      });
    };
  }

  usage(): RunUsage {
    return {
      tool_calls: this.toolCalls,
      model_calls: this.modelCalls,
      input_tokens: this.inputTokens,
      output_tokens: this.outputTokens,
      total_tokens: this.totalTokens,
      duration_ms: Math.max(0, this.clock.now() - this.startedMs),
    };
  }
}
