// Replay of recorded traces: Chat again from the recorded tool results, or the recorded text.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJsonlTraceSink } from '../src/adapters/trace-file.js';
import { replay, ReplayError } from '../src/adapters/replay.js';
import { createStubModels, runFlow, type ChatModel } from '../src/index.js';
import { FIXED_NOW } from './helpers.js';

const registry = createToolRegistry({ clock: { now: () => FIXED_NOW } });
let dir: string;
let sink: ReturnType<typeof createJsonlTraceSink>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arp-replay-'));
  sink = createJsonlTraceSink({ traceDir: dir });
});
afterAll(async () => {
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

async function record(
  runId: string,
  goal: string,
  limits?: { max_steps: number },
): Promise<string> {
  const outcome = await runFlow(
    { run_id: runId, input: { goal }, ...(limits ? { limits } : {}) },
    { toolRegistry: registry, models: createStubModels(), trace: sink },
  );
  await sink.flush(runId);
  return String(outcome.result.output?.final_text);
}

describe('replay', () => {
  it.each([
    ['rp_calc', 'What is (19*23)?'],
    ['rp_multi', 'What is (2+3), what time is it in Tokyo and say done'],
    ['rp_fail', 'What is (1/0)?'],
  ])('gives the same final text as the recorded run (%s)', async (runId, goal) => {
    const recorded = await record(runId, goal);
    const invoke = vi.spyOn(registry, 'invokeTool');
    const replayed = await replay(sink.tracePath(runId));
    expect(invoke).not.toHaveBeenCalled();
    invoke.mockRestore();
    expect(replayed).toMatchObject({ run_id: runId, source: 'replay', final_text: recorded });
    const original = await replay(sink.tracePath(runId), { original: true });
    expect(original).toMatchObject({ source: 'original', final_text: recorded });
  });

  it('runs the given chat model over the recorded steps', async () => {
    await record('rp_model', 'What is (6*7)?');
    const respond = vi.fn<ChatModel['respond']>(() => Promise.resolve({ text: 'forty-two' }));
    const result = await replay(sink.tracePath('rp_model'), {
      models: { ...createStubModels(), chat: { model: 'test', respond } },
    });
    expect(result.final_text).toBe('forty-two');
    expect(respond.mock.calls[0]?.[0]).toMatchObject({
      goal: 'What is (6*7)?',
      steps: [
        { index: 0, type: 'plan', ok: true },
        { index: 1, type: 'tool', tool: 'calc', ok: true, result: { value: 42 } },
      ],
    });
  });

  it('refuses original replay of a run that did not complete', async () => {
    await record('rp_failed', 'What is (1+1), (2+2) and (3+3)?', { max_steps: 1 });
    await expect(replay(sink.tracePath('rp_failed'), { original: true })).rejects.toThrow(
      ReplayError,
    );
  });

  it('refuses a file with a line that is not a TraceEvent', async () => {
    const path = join(dir, 'broken.jsonl');
    await writeFile(path, '{"run_id":"x","seq":0}\n');
    await expect(replay(path)).rejects.toThrow(/line 1 .* is not a TraceEvent/);
  });
});
