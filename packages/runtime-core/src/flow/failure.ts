// How a run ends early: the engine throws a FlowFailure and runFlow turns it into the outcome.
import type { ArpError, RunState } from '@arp-ts/sdk';

export class FlowFailure extends Error {
  readonly error: ArpError;
  readonly state: Extract<RunState, 'failed' | 'canceled'>;

  constructor(error: ArpError, state: 'failed' | 'canceled' = 'failed') {
    super(error.message);
    this.name = 'FlowFailure';
    this.error = error;
    this.state = state;
  }
}

/**
 * Abort reasons the engine puts on its own controller, to tell a cancel from the deadline.
 * DOMExceptions, as fetch and other abortable APIs expect of a reason they may rethrow.
 */
export const CANCELED = new DOMException('The run was canceled.', 'AbortError');
export const TIMED_OUT = new DOMException('The run deadline passed.', 'TimeoutError');

/** A short, bounded message for any thrown value. */
export function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/** The code an error carries (ModelError, ArpApiError, ...), when it has a string one. */
export function codeOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
