import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  validateHealth,
  validateRunRequest,
  validateRunStatus,
  validateTraceEvent,
  type TraceEvent,
} from '@arp-ts/sdk';
import { replay } from '@arp-ts/runtime-core/replay';
import { describe, expect, it } from 'vitest';
import { call, createRun, expectOk, getResult } from './helpers/http.js';
import { startTestServer, tempDir } from './helpers/server.js';

async function traceOf(dir: string, runId: string): Promise<TraceEvent[]> {
  const text = await readFile(path.join(dir, runId, 'trace.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const checked = validateTraceEvent(JSON.parse(line));
      if (!checked.ok) throw new Error(`not a TraceEvent: ${line}`);
      return checked.value;
    });
}

describe('the trace dir layout', () => {
  it('holds request.json, status.json, result.json, events.jsonl and trace.jsonl per run', async () => {
    const dir = await tempDir();
    const server = await startTestServer({ traceDir: dir });
    const goal = 'What is (12*12)?';
    const run = await createRun(server.url, { run_id: 'layout-1', input: { goal } }, { wait: 10 });
    await server.close();
    expect((await readdir(path.join(dir, 'layout-1'))).sort()).toEqual([
      'events.jsonl',
      'request.json',
      'result.json',
      'status.json',
      'trace.jsonl',
    ]);
    const request = validateRunRequest(
      JSON.parse(await readFile(path.join(dir, 'layout-1', 'request.json'), 'utf8')),
    );
    expect(request.ok && request.value.input.goal).toBe(goal);
    const status = validateRunStatus(
      JSON.parse(await readFile(path.join(dir, 'layout-1', 'status.json'), 'utf8')),
    );
    expect(status.ok && status.value.state).toBe(run.state);
    const trace = await traceOf(dir, 'layout-1');
    expect(trace.map((e) => e.seq)).toEqual(trace.map((_, i) => i));
    expect(trace[0]?.type).toBe('flow_started');
    expect(trace.at(-1)?.type).toBe('flow_completed');
    const llmCall = trace.find((e) => e.type === 'llm_call');
    expect(JSON.stringify(llmCall?.data)).toContain('12*12');
    // runtime-core's replay reads the trace the server wrote.
    const tracePath = path.join(dir, 'layout-1', 'trace.jsonl');
    const original = await replay(tracePath, { original: true });
    expect(original.final_text).toContain('144');
    expect((await replay(tracePath)).final_text).toBe(original.final_text);
    await rm(dir, { recursive: true, force: true });
  });

  it('redacts prompts in traces with redactPrompts, and names the trace in the result', async () => {
    const dir = await tempDir();
    const server = await startTestServer({ traceDir: dir, redactPrompts: true });
    await createRun(
      server.url,
      { run_id: 'secret-1', input: { goal: 'say the password is hunter2' } },
      { wait: 10 },
    );
    const result = await getResult(server.url, 'secret-1');
    expect(result.artifacts?.[0]).toMatchObject({ type: 'trace', id: 'secret-1' });
    expect(result.artifacts?.[0]?.uri).toMatch(/^file:\/\/.*secret-1\/trace\.jsonl$/);
    await server.close();
    const calls = (await traceOf(dir, 'secret-1')).filter((e) => e.type === 'llm_call');
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(c.data?.prompt).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('reports the store down in /v1/health when the trace dir cannot be written', async () => {
    const dir = await tempDir();
    const server = await startTestServer({ traceDir: dir, healthCacheMs: 0 });
    expect(expectOk(await call(server.url, '/v1/health'), validateHealth).status).toBe('ok');
    await rm(dir, { recursive: true, force: true });
    const health = expectOk(await call(server.url, '/v1/health'), validateHealth);
    expect(health.status).toBe('down');
    expect(health.checks?.find((c) => c.name === 'store')?.status).toBe('down');
    await server.close();
  });
});
