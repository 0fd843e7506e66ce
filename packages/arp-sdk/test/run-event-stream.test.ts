import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeClient, type ArpApiError, type RunEvent } from '@arp-ts/sdk';
import { envelope, runEvent, sseFrame } from './support/fixtures.js';
import { rejection } from './support/rejection.js';

const base = 'http://events.test';
const server = setupServer();
const encoder = new TextEncoder();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const eventsUrl = `${base}/v1/runs/:runId/events`;
const client = (timeoutMs = 5_000) =>
  new RuntimeClient({ baseUrl: base, timeoutMs, retry: { baseDelayMs: 1, maxDelayMs: 5 } });

/** A text/event-stream answer from the given pieces; open-ended ones never close. */
function sse(pieces: (string | Uint8Array)[], options: { close?: boolean } = {}): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) {
        controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
      }
      if (options.close !== false) controller.close();
    },
  });
  return new HttpResponse(stream, { headers: { 'Content-Type': 'text/event-stream' } });
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const failure = (events: AsyncIterable<RunEvent>): Promise<ArpApiError> =>
  rejection(collect(events));

const run = (types: RunEvent['type'][], from = 0) =>
  types.map((type, i) => runEvent('run_1', from + i, type));

describe('streamRunEvents', () => {
  it('yields every event and ends after the terminal one, even on an open stream', async () => {
    const events = run(['step', 'tool_call', 'tool_result', 'final']);
    let accept: string | null = null;
    server.use(
      http.get(eventsUrl, ({ request }) => {
        accept = request.headers.get('accept');
        return sse(events.map(sseFrame), { close: false });
      }),
    );
    await expect(collect(client().streamRunEvents('run_1'))).resolves.toEqual(events);
    expect(accept).toBe('text/event-stream');
  });

  it('ends after an error event', async () => {
    const events = run(['step', 'error', 'step']);
    server.use(http.get(eventsUrl, () => sse(events.map(sseFrame))));
    await expect(collect(client().streamRunEvents('run_1'))).resolves.toEqual(events.slice(0, 2));
  });

  it('reads heartbeats, multi-line data and chunks cut inside characters', async () => {
    const first = { ...runEvent('run_1', 0, 'token'), data: { text: 'héllo ☃' } };
    const last = runEvent('run_1', 1, 'final');
    const pretty = JSON.stringify(first, null, 2)
      .split('\n')
      .map((line) => `data: ${line}`)
      .join('\r\n');
    const bytes = encoder.encode(
      `: heartbeat\r\n\r\nid: 0\r\n${pretty}\r\n\r\n:ping\n${sseFrame(last)}`,
    );
    const snowman = bytes.indexOf(0xe2); // first byte of the 3-byte ☃
    server.use(
      http.get(eventsUrl, () =>
        sse([bytes.slice(0, 5), bytes.slice(5, snowman + 1), bytes.slice(snowman + 1)]),
      ),
    );
    await expect(collect(client().streamRunEvents('run_1'))).resolves.toEqual([first, last]);
  });

  it('resumes a dropped stream with Last-Event-ID and never repeats a seq', async () => {
    const events = run(['step', 'tool_call', 'tool_result', 'final']);
    const lastEventIds: (string | null)[] = [];
    server.use(
      http.get(eventsUrl, ({ request }) => {
        lastEventIds.push(request.headers.get('last-event-id'));
        // First connection: two events, then the stream ends early. Second: a server that
        // replays from the start, which the client must de-duplicate.
        return lastEventIds.length === 1
          ? sse(events.slice(0, 2).map(sseFrame))
          : sse(events.map(sseFrame));
      }),
    );
    const seen = await collect(client().streamRunEvents('run_1', { reconnect: { delayMs: 0 } }));
    expect(seen.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(seen).toEqual(events);
    expect(lastEventIds).toEqual([null, '1']);
  });

  it('gives up after reconnect.maxAttempts resumptions without progress', async () => {
    let connections = 0;
    server.use(
      http.get(eventsUrl, () => {
        connections++;
        return connections === 1
          ? sse([sseFrame(runEvent('run_1', 0, 'step'))])
          : sse([': idle\n\n']);
      }),
    );
    const seen: number[] = [];
    const error = await (async () => {
      try {
        for await (const event of client().streamRunEvents('run_1', {
          reconnect: { delayMs: 0, maxAttempts: 2 },
        })) {
          seen.push(event.seq);
        }
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: 'client.network_error', status: 0 });
    expect(seen).toEqual([0]);
    expect(connections).toBe(3);
  });

  it('resumes after lastEventId and skips what came before it', async () => {
    const events = run(['step', 'step', 'step', 'final']);
    let header: string | null = null;
    server.use(
      http.get(eventsUrl, ({ request }) => {
        header = request.headers.get('last-event-id');
        return sse(events.map(sseFrame));
      }),
    );
    const seen = await collect(client().streamRunEvents('run_1', { lastEventId: 1 }));
    expect(seen.map((e) => e.seq)).toEqual([2, 3]);
    expect(header).toBe('1');
  });

  it('refuses a lastEventId that is not a seq', () => {
    expect(() => client().streamRunEvents('run_1', { lastEventId: -1 })).toThrow(RangeError);
    expect(() => client().streamRunEvents('run_1', { lastEventId: 1.5 })).toThrow(RangeError);
    expect(() => client().streamRunEvents('')).toThrow(TypeError);
  });

  it('reconnects when the server goes silent longer than timeoutMs', async () => {
    const events = run(['step', 'final']);
    let connections = 0;
    server.use(
      http.get(eventsUrl, () => {
        connections++;
        return connections === 1
          ? sse([sseFrame(events[0] as RunEvent)], { close: false })
          : sse(events.map(sseFrame));
      }),
    );
    const seen = await collect(client(100).streamRunEvents('run_1', { reconnect: { delayMs: 0 } }));
    expect(seen).toEqual(events);
    expect(connections).toBe(2);
  });

  it('skips named events that are not RunEvents', async () => {
    const events = run(['step', 'final']);
    server.use(
      http.get(eventsUrl, () =>
        sse([
          sseFrame(events[0] as RunEvent),
          'event: ping\ndata: not json\n\n',
          sseFrame(events[1] as RunEvent),
        ]),
      ),
    );
    await expect(collect(client().streamRunEvents('run_1'))).resolves.toEqual(events);
  });

  it('fails with client.invalid_response on an off-spec event', async () => {
    server.use(
      http.get(eventsUrl, () => sse(['data: {"run_id":"run_1","seq":0,"type":"step"}\n\n'])),
    );
    const error = await failure(client().streamRunEvents('run_1'));
    expect(error.code).toBe('client.invalid_response');
    expect(error.message).toContain('$.time is required');
  });

  it('fails with client.invalid_response on data that is not JSON', async () => {
    server.use(http.get(eventsUrl, () => sse(['data: {oops\n\n'])));
    expect((await failure(client().streamRunEvents('run_1'))).code).toBe('client.invalid_response');
  });

  it('fails on an event of another run', async () => {
    server.use(http.get(eventsUrl, () => sse([sseFrame(runEvent('run_2', 0, 'final'))])));
    const error = await failure(client().streamRunEvents('run_1'));
    expect(error.code).toBe('client.invalid_response');
  });

  it('fails when the answer is not an event stream', async () => {
    server.use(http.get(eventsUrl, () => HttpResponse.json(runEvent('run_1', 0, 'final'))));
    const error = await failure(client().streamRunEvents('run_1'));
    expect(error.code).toBe('client.invalid_response');
  });

  it('turns an ErrorEnvelope answer into an ArpApiError without reconnecting', async () => {
    let connections = 0;
    server.use(
      http.get(eventsUrl, () => {
        connections++;
        return HttpResponse.json(envelope('run.not_found', 'no run run_9'), {
          status: 404,
          headers: { 'X-Request-Id': 'sse-1' },
        });
      }),
    );
    const error = await failure(client().streamRunEvents('run_9'));
    expect(error).toMatchObject({ status: 404, code: 'run.not_found', requestId: 'sse-1' });
    expect(connections).toBe(1);
  });

  it('stops with client.aborted when the caller aborts mid-stream', async () => {
    server.use(
      http.get(eventsUrl, () => sse([sseFrame(runEvent('run_1', 0, 'step'))], { close: false })),
    );
    const controller = new AbortController();
    const seen: number[] = [];
    const error = await (async () => {
      try {
        for await (const event of client().streamRunEvents('run_1', {
          signal: controller.signal,
        })) {
          seen.push(event.seq);
          setTimeout(() => controller.abort(), 10);
        }
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toMatchObject({ code: 'client.aborted' });
    expect(seen).toEqual([0]);
  });

  it('requests nothing until iterated', async () => {
    let connections = 0;
    server.use(
      http.get(eventsUrl, () => {
        connections++;
        return sse([sseFrame(runEvent('run_1', 0, 'final'))]);
      }),
    );
    const stream = client().streamRunEvents('run_1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(connections).toBe(0);
    await collect(stream);
    expect(connections).toBe(1);
  });
});
