// How runs end outside the engine: the terminal RunEvent the server adds when the engine sent
// none (a run canceled while queued, an interrupted one), failed results, and the state a
// stored result implies.
import { arpError, type ArpError, type RunEvent, type RunResult, type RunState } from '@arp-ts/sdk';

export function terminalEventFor(
  runId: string,
  seq: number,
  time: string,
  result: RunResult,
): RunEvent {
  if (result.ok) {
    // Same data as the engine's own `final` event.
    const finalText = result.output?.final_text;
    const data = typeof finalText === 'string' ? { final_text: finalText } : {};
    return { run_id: runId, seq, type: 'final', time, data };
  }
  const error = result.error ?? arpError('runtime.internal_error', 'the run failed');
  return { run_id: runId, seq, type: 'error', time, data: { error } };
}

export function failedResult(runId: string, error: ArpError): RunResult {
  return { run_id: runId, ok: false, error };
}

/** The state a result implies (used when a result outlived a status update in a crash). */
export function stateOfResult(result: RunResult): RunState {
  if (result.ok) return 'succeeded';
  return result.error?.code === 'run.canceled' ? 'canceled' : 'failed';
}
