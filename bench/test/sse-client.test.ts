import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timeStreamedRun } from '../src/load/sse-client.js';

let server: Server;
let pool: Pool;

// A fake runtime: POST /v1/runs answers a run id; its event stream sends a heartbeat, then the
// events split across writes at awkward places; a run named "broken" ends without a terminal.
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const goal = (JSON.parse(body) as { input: { goal: string } }).input.goal;
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
    res.write(text.slice(0, cut));
    setTimeout(() => res.end(text.slice(cut)), 100);
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
    expect(timing.events).toBe(3);
    expect(timing.postMs).toBeGreaterThan(0);
    expect(timing.firstEventMs).toBeGreaterThan(0);
    // The terminal event comes with the second write, 100 ms after the first one.
    expect(timing.terminalEventMs - timing.firstEventMs).toBeGreaterThanOrEqual(50);
  });

  it('fails when the stream ends without a terminal event', async () => {
    await expect(timeStreamedRun(pool, 'break')).rejects.toThrow(/without a terminal event/);
  });
});
