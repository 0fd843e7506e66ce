// Bookkeeping around one model call: the `llm_result` trace event, usage and the token limit.
import type { TokenUsage } from '../models.js';
import type { RunContext } from './run-context.js';

export function recordModelCall(
  ctx: RunContext,
  role: string,
  model: string,
  usage: TokenUsage | undefined,
  /** Only read when a trace listens (callers skip the clock otherwise). */
  startedMs: number,
): void {
  if (ctx.trace) {
    const data: Record<string, unknown> = {
      role,
      model,
      duration_ms: Math.max(0, ctx.clock.now() - startedMs),
    };
    if (usage) data.usage = usage;
    ctx.emitTrace('llm_result', 'info', data);
  }
  ctx.addUsage(usage);
}
