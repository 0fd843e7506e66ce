// Deep tier of a runtime, the optional events stream: replay of a finished run, resume with
// Last-Event-ID, following a new run live, and 404 for an unknown run. When the runtime does not
// offer the stream, these checks are SKIP.
import type { RunEvent } from '@arp-ts/sdk';
import { unknownId } from './common.js';
import { streamAnswerAsResponse } from '../event-stream.js';
import { envelopeCode, expectErrorEnvelope } from './expect.js';
import type { CoreRun } from './runtime-core.js';
import {
  analyseStream,
  saysNotOffered,
  streamRunEvents,
  type StreamAnalysis,
} from './runtime-events.js';
import { createRun, newRunId, runPath, SIMPLE_GOAL, waitForTerminal } from './runtime-runs.js';
import { fail, pass, skip, warn, type Outcome, type Suite } from './suite.js';

const LATER_CHECKS = [
  'runtime.deep.events.unknown_run',
  'runtime.deep.events.resume',
  'runtime.deep.events.live',
] as const;

function judge(analysis: StreamAnalysis, summary: string): Outcome {
  if (analysis.problems.length > 0) {
    return fail(analysis.problems.join('; '), analysis.schemaErrors);
  }
  if (analysis.warnings.length > 0) return warn(`${summary}; ${analysis.warnings.join('; ')}`);
  return pass(summary);
}

function describe(events: readonly RunEvent[]): string {
  return `${events.length} events (${events.map((e) => e.type).join(', ')})`;
}

function sameEvent(a: RunEvent, b: RunEvent): boolean {
  return a.seq === b.seq && a.type === b.type && stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

/** Runs the events checks; resolves to whether the runtime offers the events stream. */
export async function runEventsChecks(suite: Suite, core: CoreRun | undefined): Promise<boolean> {
  const terminal = core?.terminal;
  if (!core || !terminal) {
    const reason = 'needs a terminal run (runtime.core.poll_status)';
    suite.skip('runtime.deep.events.replay', reason);
    for (const id of LATER_CHECKS) suite.skip(id, reason);
    return false;
  }

  let offered = false;
  let notOffered = '';
  let replay: RunEvent[] = [];
  await suite.run('runtime.deep.events.replay', async ({ http, options }) => {
    const read = await streamRunEvents(http, core.runId, options.pollTimeoutMs);
    if (read.status !== 200) {
      if (saysNotOffered(read.status, read.json)) {
        notOffered = `${read.status} ${envelopeCode(read.json) ?? ''}`.trim();
        return skip(`the runtime does not offer the events stream (${notOffered})`);
      }
      return fail(`GET ${runPath(core.runId, '/events')}: expected 200, got ${read.status}`);
    }
    offered = true;
    const analysis = analyseStream(read, { runId: core.runId, firstSeq: 0, state: terminal.state });
    replay = analysis.events;
    return judge(analysis, describe(analysis.events));
  });

  if (!offered) {
    const reason = notOffered
      ? `the runtime does not offer the events stream (${notOffered})`
      : 'needs the events stream (runtime.deep.events.replay)';
    for (const id of LATER_CHECKS) suite.skip(id, reason);
    return false;
  }

  await suite.run('runtime.deep.events.unknown_run', async ({ http, options }) => {
    const runId = unknownId('run');
    const read = await streamRunEvents(http, runId, options.timeoutMs);
    const envelope = expectErrorEnvelope(
      streamAnswerAsResponse(read),
      404,
      `GET ${runPath(runId, '/events')}`,
    );
    return pass(`404 ${envelope.error.code}`);
  });

  await suite.run('runtime.deep.events.resume', async ({ http, options }) => {
    // Resume from the middle, so the resumed stream must hold the rest including the end.
    if (replay.length < 2) return skip(`too few events to resume from (${replay.length})`);
    const from = replay[Math.floor((replay.length - 2) / 2)];
    if (!from) return skip('no event to resume from');
    const expected = replay.filter((e) => e.seq > from.seq);
    const read = await streamRunEvents(http, core.runId, options.pollTimeoutMs, String(from.seq));
    if (read.status !== 200) {
      return fail(`GET events with Last-Event-ID: expected 200, got ${read.status}`);
    }
    const analysis = analyseStream(read, {
      runId: core.runId,
      firstSeq: from.seq + 1,
      checkTerminal: false,
    });
    const got = analysis.events;
    const same =
      got.length === expected.length && got.every((e, i) => sameEvent(e, expected[i] as RunEvent));
    if (!same) {
      analysis.problems.unshift(
        `after Last-Event-ID ${from.seq} expected seq [${expected.map((e) => e.seq).join(', ')}], ` +
          `got [${got.map((e) => e.seq).join(', ')}]${got.length === expected.length ? ' with different content' : ''}`,
      );
    }
    return judge(analysis, `resumed after seq ${from.seq}: ${describe(got)}`);
  });

  await suite.run('runtime.deep.events.live', async ({ http, options }) => {
    const runId = newRunId('events');
    await createRun(http, { run_id: runId, input: { goal: SIMPLE_GOAL } });
    const read = await streamRunEvents(http, runId, options.pollTimeoutMs);
    if (read.status !== 200) {
      return fail(`GET ${runPath(runId, '/events')}: expected 200, got ${read.status}`);
    }
    const final = await waitForTerminal(http, runId, options.pollTimeoutMs);
    const analysis = analyseStream(read, { runId, firstSeq: 0, state: final.status.state });
    return judge(analysis, `${describe(analysis.events)}, run ${final.status.state}`);
  });

  return true;
}
