import { isTerminalRunEventType, type RunEvent } from '@arp-ts/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createRun, getResult, waitForStatus } from './helpers/http.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import {
  eventOf,
  openSse,
  readAllEvents,
  type SseFrame,
  type SseStreamHandle,
} from './helpers/sse.js';

function expectGapFree(events: RunEvent[], from = 0): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => from + i));
  expect(events.filter((e) => isTerminalRunEventType(e.type))).toHaveLength(1);
  expect(isTerminalRunEventType(events.at(-1)?.type ?? 'token')).toBe(true);
}

async function collect(
  stream: SseStreamHandle,
  onFrame: (frame: SseFrame) => void = () => undefined,
): Promise<{ events: RunEvent[]; comments: number }> {
  const events: RunEvent[] = [];
  let comments = 0;
  for await (const frame of stream.frames) {
    onFrame(frame);
    comments += frame.comments.length;
    if (frame.data !== undefined) events.push(eventOf(frame));
  }
  return { events, comments };
}

async function until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('GET /v1/runs/{run_id}/events (SSE)', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('replays every event of a finished run with SSE headers, id = seq, then ends', async () => {
    server = await startTestServer();
    const run = await createRun(server.url, { input: { goal: 'What is (6*7)?' } }, { wait: 10 });
    const stream = await openSse(`${server.url}/v1/runs/${run.run_id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    expect(stream.headers.get('cache-control')).toBe('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-request-id')).toBeTruthy();
    const { events } = await collect(stream);
    expectGapFree(events);
    expect(events.every((e) => e.run_id === run.run_id)).toBe(true);
    expect(events.some((e) => e.type === 'tool_call')).toBe(true);
    expect(events.some((e) => e.type === 'tool_result')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'final' });
    const result = await getResult(server.url, run.run_id);
    expect(events.at(-1)?.data?.final_text).toBe(result.output?.final_text);
  });

  it('resumes after Last-Event-ID', async () => {
    server = await startTestServer();
    const run = await createRun(server.url, { input: { goal: 'What is (6*7)?' } }, { wait: 10 });
    const url = `${server.url}/v1/runs/${run.run_id}/events`;
    const all = await readAllEvents(url);
    expect(all.length).toBeGreaterThan(3);
    const rest = await readAllEvents(url, { lastEventId: '2' });
    expect(rest).toEqual(all.slice(3));
    const none = await readAllEvents(url, { lastEventId: String(all.length - 1) });
    expect(none).toEqual([]);
    // An id that is not a seq is ignored: the whole stream is replayed.
    expect(await readAllEvents(url, { lastEventId: 'garbage' })).toEqual(all);
  });

  it('lets two clients follow one live run: replay so far, then live events, then the end', async () => {
    server = await startTestServer();
    const run = await createRun(server.url, { input: { goal: 'say block-live' } });
    await server.gate.started('block-live');
    const url = `${server.url}/v1/runs/${run.run_id}/events`;
    const first = await openSse(url);
    const second = await openSse(url, { lastEventId: '0' });
    const firstEvents = collect(first);
    const secondEvents = collect(second);
    await until(() => server.stats().liveStreams === 2);
    server.gate.release('block-live');
    const a = (await firstEvents).events;
    const b = (await secondEvents).events;
    expectGapFree(a);
    expect(b).toEqual(a.slice(1));
    expect(a.at(-1)?.type).toBe('final');
    await until(() => server.stats().liveStreams === 0);
  });

  it('sends heartbeat comments while the run is idle', async () => {
    server = await startTestServer({ heartbeatMs: 20 });
    const run = await createRun(server.url, { input: { goal: 'say block-idle' } });
    await server.gate.started('block-idle');
    const stream = await openSse(`${server.url}/v1/runs/${run.run_id}/events`);
    // The run stays blocked until two heartbeats arrived, however slowly the machine delivers
    // them (a fixed wait saw fewer under load); a server that sends none times out here.
    let idleComments = 0;
    const done = collect(stream, (frame) => (idleComments += frame.comments.length));
    await until(() => idleComments >= 2);
    server.gate.release('block-idle');
    const { events, comments } = await done;
    expect(comments).toBeGreaterThanOrEqual(2);
    expectGapFree(events);
  });

  it('forgets a follower that disconnects', async () => {
    server = await startTestServer();
    const run = await createRun(server.url, { input: { goal: 'say block-gone' } });
    await server.gate.started('block-gone');
    const streams = await Promise.all(
      [1, 2, 3].map(() => openSse(`${server.url}/v1/runs/${run.run_id}/events`)),
    );
    await until(() => server.stats().liveStreams === 3);
    for (const s of streams) s.close();
    await until(() => server.stats().liveStreams === 0);
    server.gate.release('block-gone');
    await waitForStatus(server.url, run.run_id, (s) => s.state === 'succeeded');
    await until(() => server.stats().liveRuns === 0);
  });
});
