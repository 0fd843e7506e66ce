// Prometheus metrics, rendered by hand in the text exposition format (version 0.0.4).
import type { RunState } from '@arp-ts/sdk';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const RUN_STATES: readonly RunState[] = ['queued', 'running', 'succeeded', 'failed', 'canceled'];
/** Upper bounds of the run duration buckets, in seconds. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
] as const;

export interface Gauges {
  queueDepth(): number;
  inFlight(): number;
}

export class RuntimeMetrics {
  private readonly runs = new Map<RunState, number>(RUN_STATES.map((s) => [s, 0]));
  private readonly buckets = DURATION_BUCKETS.map(() => 0);
  private durationSum = 0;
  private durationCount = 0;
  private toolOk = 0;
  private toolError = 0;

  /** A run entered `state` (counted once per transition since the process started). */
  runEntered(state: RunState): void {
    this.runs.set(state, (this.runs.get(state) ?? 0) + 1);
  }

  runDuration(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) return;
    this.durationSum += seconds;
    this.durationCount += 1;
    DURATION_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i] = (this.buckets[i] ?? 0) + 1;
    });
  }

  toolInvocation(ok: boolean): void {
    if (ok) this.toolOk += 1;
    else this.toolError += 1;
  }

  render(gauges: Gauges): string {
    const lines: string[] = [];
    const header = (name: string, type: string, help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    header('arp_runs_total', 'counter', 'Runs that entered each state since the process started.');
    for (const state of RUN_STATES) {
      lines.push(`arp_runs_total{state="${state}"} ${this.runs.get(state) ?? 0}`);
    }
    header('arp_run_duration_seconds', 'histogram', 'Time from a run starting to it ending.');
    DURATION_BUCKETS.forEach((le, i) => {
      lines.push(`arp_run_duration_seconds_bucket{le="${le}"} ${this.buckets[i] ?? 0}`);
    });
    lines.push(`arp_run_duration_seconds_bucket{le="+Inf"} ${this.durationCount}`);
    lines.push(`arp_run_duration_seconds_sum ${this.durationSum}`);
    lines.push(`arp_run_duration_seconds_count ${this.durationCount}`);
    header('arp_queue_depth', 'gauge', 'Runs waiting for a worker.');
    lines.push(`arp_queue_depth ${gauges.queueDepth()}`);
    header('arp_runs_in_flight', 'gauge', 'Runs executing now.');
    lines.push(`arp_runs_in_flight ${gauges.inFlight()}`);
    header('arp_tool_invocations_total', 'counter', 'Tool results seen in run events, by outcome.');
    lines.push(`arp_tool_invocations_total{outcome="ok"} ${this.toolOk}`);
    lines.push(`arp_tool_invocations_total{outcome="error"} ${this.toolError}`);
    return lines.join('\n') + '\n';
  }
}
