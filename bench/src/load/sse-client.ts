// Times one run as a streaming client sees it: POST /v1/runs (no wait), then GET its event
// stream, noting when the first RunEvent and the terminal one arrive.
import type { Pool } from 'undici';

export interface StreamTiming {
  /** From sending the POST to its answer. */
  postMs: number;
  /** From the POST's answer to the first RunEvent at the client. */
  firstEventMs: number;
  /** From the POST's answer to the terminal RunEvent at the client. */
  terminalEventMs: number;
  events: number;
}

const TERMINAL_TYPES = new Set(['final', 'error']);

const elapsedMs = (from: bigint, to: bigint): number => Number(to - from) / 1e6;

export async function timeStreamedRun(pool: Pool, goal: string): Promise<StreamTiming> {
  const t0 = process.hrtime.bigint();
  const post = await pool.request({
    method: 'POST',
    path: '/v1/runs',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input: { goal } }),
  });
  const created = JSON.parse(await post.body.text()) as { run_id?: unknown };
  const t1 = process.hrtime.bigint();
  if (post.statusCode >= 300 || typeof created.run_id !== 'string') {
    throw new Error(`POST /v1/runs answered ${post.statusCode}`);
  }
  const stream = await pool.request({
    method: 'GET',
    path: `/v1/runs/${encodeURIComponent(created.run_id)}/events`,
    headers: { accept: 'text/event-stream' },
  });
  if (stream.statusCode !== 200) {
    await stream.body.text();
    throw new Error(`GET events answered ${stream.statusCode}`);
  }
  let first: bigint | undefined;
  let terminal: bigint | undefined;
  let events = 0;
  let buffer = '';
  stream.body.setEncoding('utf8');
  for await (const chunk of stream.body as AsyncIterable<string>) {
    const now = process.hrtime.bigint();
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (data === '') continue; // a heartbeat comment
      const event = JSON.parse(data) as { type?: unknown };
      events++;
      first ??= now;
      if (typeof event.type === 'string' && TERMINAL_TYPES.has(event.type)) terminal ??= now;
    }
  }
  if (first === undefined || terminal === undefined) {
    throw new Error(`the stream of ${created.run_id} ended without a terminal event`);
  }
  return {
    postMs: elapsedMs(t0, t1),
    firstEventMs: elapsedMs(t1, first),
    terminalEventMs: elapsedMs(t1, terminal),
    events,
  };
}
