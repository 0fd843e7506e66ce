// The JSON lines of a run's logs (events.jsonl, trace.jsonl). A stub run writes ~28 of them, and
// JSON.stringify of whole events was the largest single cost of the server's main thread: most of
// it went to the envelope (run id, time, type), whose strings need no escaping. So the envelope
// is written by hand and only `data` goes through JSON.stringify; anything unusual in the
// envelope (a string that would need escaping, a seq that is no integer, `extensions`, another
// run's id) takes the plain JSON.stringify path instead. Lines carry the schema's fields only.
import type { RunEvent, TraceEvent } from '@arp-ts/sdk';

/** Strings that are their own JSON text between quotes: no quote, backslash or control char. */
const PLAIN = /^[A-Za-z0-9 _.:+-]*$/;
/** Type and level names seen plain, so each is checked once (bounded: they are few). */
const plainNames = new Set<string>();
const MAX_PLAIN_NAMES = 256;
/** The last time string checked: a run's events share a few milliseconds. */
let plainTime = '';

function isPlainName(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (plainNames.has(value)) return true;
  if (!PLAIN.test(value)) return false;
  if (plainNames.size < MAX_PLAIN_NAMES) plainNames.add(value);
  return true;
}

function isPlainTime(value: unknown): value is string {
  if (value === plainTime) return true;
  if (typeof value !== 'string' || !PLAIN.test(value)) return false;
  plainTime = value;
  return true;
}

function dataPart(data: unknown): string {
  if (data === undefined) return '}\n';
  const json = JSON.stringify(data) as string | undefined;
  return json === undefined ? '}\n' : `,"data":${json}}\n`;
}

/**
 * Encodes the events of one run. `runId` must be a safe run id (letters, digits, `._:-`), which
 * JSON needs no escaping for.
 */
export class EventLines {
  private readonly head: string;

  constructor(private readonly runId: string) {
    this.head = `{"run_id":"${runId}","seq":`;
  }

  /** `{"run_id","seq","type","time","data"}` and a newline. Throws what JSON.stringify throws. */
  runEvent(event: RunEvent): string {
    const { seq, type, time } = event;
    if (
      event.run_id !== this.runId ||
      !Number.isInteger(seq) ||
      !isPlainName(type) ||
      !isPlainTime(time) ||
      event.extensions !== undefined
    ) {
      return JSON.stringify(event) + '\n';
    }
    return `${this.head}${seq},"type":"${type}","time":"${time}"${dataPart(event.data)}`;
  }

  /** `{"run_id","seq","time","level","type","data"}` and a newline. */
  traceEvent(event: TraceEvent): string {
    const { seq, time, level, type } = event;
    if (
      event.run_id !== this.runId ||
      !Number.isInteger(seq) ||
      !isPlainTime(time) ||
      !isPlainName(level) ||
      !isPlainName(type) ||
      event.extensions !== undefined
    ) {
      return JSON.stringify(event) + '\n';
    }
    return `${this.head}${seq},"time":"${time}","level":"${level}","type":"${type}"${dataPart(event.data)}`;
  }
}
