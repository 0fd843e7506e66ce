import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoadPool, runLoad, type LoadRequest } from '../src/load/load-generator.js';

let server: Server;
let origin: string;
let seen = 0;
let maxInFlight = 0;
let inFlight = 0;
let held: Array<() => void> = [];
let total = 0;

beforeAll(async () => {
  // Answers 200 {"n": <count>}, except every fifth request, which gets a 500.
  // Requests are held until eight are open at once (or the last one arrived), so
  // the test shows the generator keeps the full concurrency open whatever the
  // machine's load: a generator that opens fewer would never be answered.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const n = seen;
      held.push(() => {
        inFlight--;
        res.statusCode = n % 5 === 0 ? 500 : 200;
        res.end(JSON.stringify({ n }));
      });
      if (held.length === 8 || seen === total) {
        const batch = held;
        held = [];
        setTimeout(() => batch.forEach((answer) => answer()), 2);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post: LoadRequest = {
  method: 'POST',
  path: '/anything',
  headers: { 'content-type': 'application/json' },
  body: '{}',
  check: (status) => status === 200,
};

describe('runLoad', () => {
  it('sends exactly the requested number, at the requested concurrency, and counts failures', async () => {
    seen = 0;
    maxInFlight = 0;
    total = 100;
    const pool = createLoadPool(origin, 8);
    try {
      const result = await runLoad({ pool, concurrency: 8, requests: 100, request: post });
      expect(seen).toBe(100);
      expect(maxInFlight).toBe(8);
      expect(result.completed).toBe(80);
      expect(result.errors).toBe(20);
      expect(result.errorSamples[0]).toMatch(/^HTTP 500: \{"n":\d+\}$/);
      expect(result.throughput).toBeCloseTo(80 / (result.durationMs / 1000));
      expect(result.p50Ms).toBeGreaterThanOrEqual(2);
      expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
      expect(result.p99Ms).toBeLessThanOrEqual(result.maxMs);
    } finally {
      await pool.close();
    }
  });

  it('reports a refused connection as errors, not as throughput', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const pool = createLoadPool(`http://127.0.0.1:${port}`, 2);
    try {
      const result = await runLoad({ pool, concurrency: 2, requests: 4, request: post });
      expect(result.completed).toBe(0);
      expect(result.errors).toBe(4);
      expect(result.throughput).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
