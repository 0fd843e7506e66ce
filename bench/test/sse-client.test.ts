import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { timeStreamedRun } from '../src/load/sse-client.js';

let server: Server;
let pool: Pool;

// A fake clock in place of process.hrtime.bigint, the clock timeStreamedRun reads: the fake
// runtime moves it on at known moments, so the timings are exact whatever the machine's load, and
// learns when the client reads it (the client reads it once per chunk it receives).
let nowNs = 0n;
let onClockRead: (() => void) | undefined;
const advance = (ms: number): void => {
  nowNs += BigInt(ms) * 1_000_000n;
};
const nextClockRead = (): Promise<void> => new Promise((resolve) => (onClockRead = resolve));

beforeEach(() => {
  nowNs = 0n;
  vi.spyOn(process.hrtime, 'bigint').mockImplementation(() => {
    const reader = onClockRead;
    onClockRead = undefined;
    reader?.();
    return nowNs;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

// A fake runtime: POST /v1/runs answers a run id after 5 ms; its event stream sends, 10 ms later,
// a heartbeat and the first event, then the rest split at an awkward place 100 ms after the
// client got the first part; a run named "broken" ends without a terminal event.
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const goal = (JSON.parse(body) as { input: { goal: string } }).input.goal;
        advance(5);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ run_id: goal === 'break' ? 'broken' : 'run_1', state: 'queued' }));
      });
      return;
    }
    res.setHeader('content-type', 'text/event-stream');
    const event = (seq: number, type: string): string =>
      `id: ${seq}\ndata: ${JSON.stringify({ run_id: 'run_1', seq, type, data: {} })}\n\n`;
    const first = ': heartbeat\n\n' + event(0, 'step');
    const rest = event(1, 'token') + (req.url?.includes('broken') ? '' : event(2, 'final'));
    // The second write starts in the middle of an event: the client must join the pieces.
    const cut = first.length + 9;
    const text = first + rest;
    advance(10);
    const firstPartRead = nextClockRead();
    res.write(text.slice(0, cut));
    void firstPartRead.then(() => {
      advance(100);
      res.end(text.slice(cut));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
    connections: 2,
  });
});

afterAll(async () => {
  await pool.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('timeStreamedRun', () => {
  it('times the first and the terminal event after the POST was answered', async () => {
    const timing = await timeStreamedRun(pool, 'What is (1+1)?');
    // POST 5 ms; first event 10 ms after its answer; the terminal one 100 ms after that.
    expect(timing).toEqual({ postMs: 5, firstEventMs: 10, terminalEventMs: 110, events: 3 });
  });

  it('fails when the stream ends without a terminal event', async () => {
    await expect(timeStreamedRun(pool, 'break')).rejects.toThrow(/without a terminal event/);
  });
});
