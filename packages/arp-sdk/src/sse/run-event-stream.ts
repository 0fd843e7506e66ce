// Follows GET /v1/runs/{run_id}/events: parses the event stream, validates every RunEvent,
// resumes with Last-Event-ID after a dropped connection and ends after the terminal event.
import { ArpApiError } from '../client/api-error.js';
import { sleep } from '../client/backoff.js';
import { CallScope } from '../client/call-scope.js';
import type { FetchOutcome, SendInit, Transport } from '../client/transport.js';
import { isEventStream } from '../client/transport.js';
import type { RequestOptions } from '../client/options.js';
import { isTerminalRunEventType, type RunEvent } from '../types.js';
import { formatValidationIssues, validateRunEvent } from '../validation.js';
import { SseParseError, SseParser, type SseMessage } from './parser.js';

export interface ReconnectOptions {
  /** Reconnections in a row without a new event before giving up. Default 3. */
  maxAttempts?: number;
  /** Pause before reconnecting. Default: the server's `retry:`, else 1000 ms. */
  delayMs?: number;
}

export interface StreamRunEventsOptions extends RequestOptions {
  /** Resume after this seq: only later events are yielded. */
  lastEventId?: number;
  reconnect?: ReconnectOptions;
}

/** Opens one connection to the event stream; `lastEventId` becomes the Last-Event-ID header. */
export type OpenEventStream = (
  init: SendInit,
  lastEventId: string | undefined,
) => Promise<FetchOutcome>;

export const DEFAULT_RECONNECT_ATTEMPTS = 3;
export const DEFAULT_RECONNECT_DELAY_MS = 1000;
/** A server's `retry:` is obeyed up to this long. */
const MAX_SERVER_RETRY_MS = 30_000;

// Event names that carry a RunEvent; other named events (pings and the like) are skipped.
const RUN_EVENT_NAMES = new Set([
  'message',
  'token',
  'step',
  'tool_call',
  'tool_result',
  'final',
  'error',
]);

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/** Why one connection ended without the terminal event. */
class ConnectionDropped extends Error {}

function invalid(operation: string, message: string, details?: Record<string, unknown>) {
  return new ArpApiError({
    status: 200,
    code: 'client.invalid_response',
    message: `${operation}: ${message}`,
    ...(details ? { details } : {}),
    retryable: false,
  });
}

/** Reads one chunk, giving up as soon as the signal aborts (mocked bodies may ignore it). */
function readOrAbort(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal,
): Promise<ReadResult> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      reader.cancel(signal.reason).catch(() => undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    reader.read().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export async function* followRunEvents(
  transport: Transport,
  open: OpenEventStream,
  runId: string,
  options: StreamRunEventsOptions = {},
): AsyncGenerator<RunEvent, void, undefined> {
  const operation = 'GET /v1/runs/{run_id}/events';
  const timeoutMs = options.timeoutMs ?? transport.options.timeoutMs;
  const maxReconnects = options.reconnect?.maxAttempts ?? DEFAULT_RECONNECT_ATTEMPTS;
  const headers = transport.headers(options, 'text/event-stream');
  let lastSeq = options.lastEventId ?? -1;
  let lastEventId = options.lastEventId === undefined ? undefined : String(options.lastEventId);
  let serverRetryMs: number | undefined;
  let reconnects = 0;

  for (let connection = 0; ; connection++) {
    if (connection > 0) {
      const delay =
        options.reconnect?.delayMs ??
        Math.min(serverRetryMs ?? DEFAULT_RECONNECT_DELAY_MS, MAX_SERVER_RETRY_MS);
      const pause = new CallScope(options.signal, delay + timeoutMs);
      try {
        await sleep(delay, pause.signal);
      } catch (thrown) {
        throw transport.classify(operation, thrown, pause);
      } finally {
        pause.dispose();
      }
    }

    // One scope per connection: its timer first bounds the wait for the answer, then any
    // silence between chunks (servers send heartbeat comments to keep it alive).
    const scope = new CallScope(options.signal, timeoutMs);
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      let outcome: FetchOutcome;
      try {
        outcome = await transport.exchange(
          {
            operation,
            idempotent: true,
            streaming: true,
            send: (init) => open(init, lastEventId),
          },
          scope,
          headers,
        );
      } catch (thrown) {
        const failure = transport.classify(operation, thrown, scope);
        // The first connection reports its failure; a resumption tolerates passing ones.
        if (connection === 0 || !failure.retryable || reconnects >= maxReconnects) throw failure;
        reconnects++;
        continue;
      }
      const { response } = outcome;
      if (!isEventStream(response) || response.body === null) {
        throw invalid(operation, 'the answer is not a text/event-stream', {
          content_type: response.headers.get('content-type') ?? '',
        });
      }

      const parser = new SseParser();
      const decoder = new TextDecoder();
      reader = response.body.getReader();
      let dropped: unknown;
      for (;;) {
        let chunk: ReadResult;
        scope.arm();
        try {
          chunk = await readOrAbort(reader, scope.signal);
        } catch (thrown) {
          if (scope.abortedByCaller) throw transport.classify(operation, thrown, scope);
          dropped = thrown;
          break;
        }
        if (chunk.done) {
          dropped = new ConnectionDropped('the stream ended before the terminal event');
          break;
        }
        let messages: SseMessage[];
        try {
          messages = parser.push(decoder.decode(chunk.value, { stream: true }));
        } catch (thrown) {
          if (thrown instanceof SseParseError) throw invalid(operation, thrown.message);
          throw thrown;
        }
        serverRetryMs = parser.retryMs ?? serverRetryMs;
        for (const message of messages) {
          if (!RUN_EVENT_NAMES.has(message.event)) continue;
          const event = toRunEvent(operation, runId, message);
          if (event.seq <= lastSeq) continue; // replayed after a resumption: already yielded
          lastSeq = event.seq;
          lastEventId = message.id !== '' ? message.id : String(event.seq);
          reconnects = 0;
          scope.disarm(); // the consumer's pace is not the server's silence
          yield event;
          if (isTerminalRunEventType(event.type)) return;
        }
      }
      parser.end();
      if (reconnects >= maxReconnects) throw transport.classify(operation, dropped, scope);
      reconnects++;
    } finally {
      // Runs on every exit, including a consumer leaving the loop early: stop the request.
      scope.abort();
      scope.dispose();
      reader?.cancel().catch(() => undefined);
    }
  }
}

function toRunEvent(operation: string, runId: string, message: SseMessage): RunEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.data);
  } catch {
    throw invalid(operation, "an event's data is not JSON", { data: message.data.slice(0, 200) });
  }
  const checked = validateRunEvent(parsed);
  if (!checked.ok) {
    throw invalid(
      operation,
      `an event is not a valid RunEvent: ${formatValidationIssues(checked.errors)}`,
      {
        issues: checked.errors,
      },
    );
  }
  if (checked.value.run_id !== runId) {
    throw invalid(
      operation,
      `an event of run ${checked.value.run_id} arrived on the stream of ${runId}`,
    );
  }
  return checked.value;
}
