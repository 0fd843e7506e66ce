// End to end in OpenAI mode: a small OpenAI-compatible HTTP server (Responses API) started here,
// reached through OPENAI_BASE_URL, with the in-process registry and a JSONL trace.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIModels, loadOpenAIConfig } from '../src/adapters/openai/index.js';
import { createJsonlTraceSink } from '../src/adapters/trace-file.js';
import { replay } from '../src/adapters/replay.js';
import { createMemoryRunEventSink, runFlow } from '../src/index.js';
import { checkRunEvents, FIXED_NOW } from './helpers.js';
import { responseObject, responseStream } from './openai-fakes.js';

let server: Server;
let baseUrl: string;
let dir: string;
const seen: Array<{ auth: string | undefined; body: Record<string, unknown> }> = [];

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

/** Plans calc then time_now, fills their args from the prompt, streams a two-line answer. */
function answerFor(body: Record<string, unknown>): { json?: object; sse?: string } {
  const format = (body.text as { format?: { name?: string } } | undefined)?.format?.name;
  if (format === 'plan') {
    const steps = [
      { type: 'tool', tool: 'calc', intent: 'add 2 and 3' },
      { type: 'tool', tool: 'time_now', intent: 'current time in Tokyo' },
    ];
    return { json: responseObject(JSON.stringify({ steps })) };
  }
  if (format === 'args_calc') return { json: responseObject('{"expression":"2+3"}') };
  if (format === 'args_time_now') return { json: responseObject('{"tz":"Asia/Tokyo"}') };
  const input = String(body.input);
  const sum = /"value":(\d+)/.exec(input)?.[1] ?? '?';
  const time = /"iso":"([^"]+)"/.exec(input)?.[1] ?? '?';
  return { sse: responseStream([`2+3 = ${sum}. `, `In Tokyo it is ${time}.`]) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arp-openai-e2e-'));
  server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/responses') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    readJson(req).then(
      (body) => {
        seen.push({ auth: req.headers.authorization, body });
        const answer = answerFor(body);
        if (answer.sse !== undefined) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(answer.sse);
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer.json));
        }
      },
      () => {
        res.writeHead(400);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('OpenAI mode end to end', () => {
  it('runs a two-tool goal through a fake OpenAI-compatible server', async () => {
    const config = loadOpenAIConfig({ OPENAI_API_KEY: 'sk-e2e', OPENAI_BASE_URL: baseUrl });
    const trace = createJsonlTraceSink({ traceDir: dir });
    const events = createMemoryRunEventSink();
    const outcome = await runFlow(
      { run_id: 'run_e2e', input: { goal: 'What is 2+3, and what time is it in Tokyo?' } },
      {
        toolRegistry: createToolRegistry({ clock: { now: () => FIXED_NOW } }),
        models: createOpenAIModels(config),
        trace,
        events,
      },
    );
    const expected = '2+3 = 5. In Tokyo it is 2026-01-02T12:04:05.000+09:00.';
    expect(outcome.result.output?.final_text).toBe(expected);
    expect(outcome.result.usage).toMatchObject({ tool_calls: 2, model_calls: 4, total_tokens: 60 });
    expect(seen).toHaveLength(4);
    expect(seen.every((s) => s.auth === 'Bearer sk-e2e')).toBe(true);
    expect(seen.map((s) => s.body.model)).toEqual(Array(4).fill('gpt-5-nano'));

    checkRunEvents(events.forRun('run_e2e'));
    expect(events.events.filter((e) => e.type === 'token')).toHaveLength(2);

    await trace.flush('run_e2e');
    const recorded = await replay(trace.tracePath('run_e2e'), { original: true });
    expect(recorded.final_text).toBe(expected);
    await trace.close();
  });
});
