// The event stream over real sockets (no msw): an abruptly dropped connection, and a consumer
// that stops listening early.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeClient, type RunEvent } from '@arp-ts/sdk';
import { runEvent, sseFrame } from './support/fixtures.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const events: RunEvent[] = (['step', 'tool_call', 'tool_result', 'final'] as const).map(
  (type, seq) => runEvent('run_1', seq, type),
);

describe('streamRunEvents over sockets', () => {
  it('resumes after the connection is cut mid-stream', async () => {
    const lastEventIds: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      const header = req.headers['last-event-id'];
      lastEventIds.push(typeof header === 'string' ? header : undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (lastEventIds.length === 1) {
        // Two whole events and half of the third, then the socket dies.
        const third = sseFrame(events[2] as RunEvent);
        res.write(
          sseFrame(events[0] as RunEvent) + sseFrame(events[1] as RunEvent) + third.slice(0, 20),
        );
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      const from = Number(header) + 1;
      res.end(events.slice(from).map(sseFrame).join(''));
    });
    const client = new RuntimeClient({ baseUrl: url });
    const seen: RunEvent[] = [];
    for await (const event of client.streamRunEvents('run_1', { reconnect: { delayMs: 0 } })) {
      seen.push(event);
    }
    expect(seen).toEqual(events);
    expect(lastEventIds).toEqual([undefined, '1']);
  });

  it('closes the connection when the consumer leaves the loop', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const url = await serve((_req, res) => {
      res.on('close', () => closed());
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseFrame(events[0] as RunEvent));
      // The stream stays open: only the client can end it.
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 10);
      res.on('close', () => clearInterval(heartbeat));
    });
    const client = new RuntimeClient({ baseUrl: url });
    for await (const event of client.streamRunEvents('run_1')) {
      expect(event.seq).toBe(0);
      break;
    }
    await connectionClosed;
  });
});
