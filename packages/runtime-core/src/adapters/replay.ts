// replay(tracePath): reads a JSONL trace and replays its run's Chat from the recorded steps (no
// tool is invoked), or returns the recorded final text with `original: true`.
import { readFile, stat } from 'node:fs/promises';
import { validateTraceEvent, formatValidationIssues, type TraceEvent } from '@arp-ts/sdk';
import { ReplayError, replayFromEvents, type ReplayOptions, type ReplayResult } from '../replay.js';

export { ReplayError, type ReplayOptions, type ReplayResult } from '../replay.js';

/** Traces larger than this are refused rather than read into memory. */
export const MAX_TRACE_BYTES = 64 * 1024 * 1024;

/** Reads and validates every line of a trace.jsonl file. */
export async function readTraceFile(tracePath: string): Promise<TraceEvent[]> {
  const info = await stat(tracePath);
  if (info.size > MAX_TRACE_BYTES) {
    throw new ReplayError(`the trace ${tracePath} is larger than ${MAX_TRACE_BYTES} bytes`);
  }
  const text = await readFile(tracePath, 'utf8');
  const events: TraceEvent[] = [];
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new ReplayError(`line ${lineNumber} of ${tracePath} is not JSON`);
    }
    const checked = validateTraceEvent(parsed);
    if (!checked.ok) {
      throw new ReplayError(
        `line ${lineNumber} of ${tracePath} is not a TraceEvent: ${formatValidationIssues(checked.errors)}`,
      );
    }
    events.push(checked.value);
  }
  return events;
}

export async function replay(
  tracePath: string,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  return replayFromEvents(await readTraceFile(tracePath), options);
}
