// The JSONL trace sink: file layout, valid lines, safe run ids, redaction, flush and close.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJsonlTraceSink, isSafeRunId } from '../src/adapters/trace-file.js';
import { createStubModels, runFlow } from '../src/index.js';
import { checkTraceEvents } from './helpers.js';

const registry = createToolRegistry();
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'arp-trace-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readLines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('createJsonlTraceSink', () => {
  it('writes <traceDir>/<run_id>/trace.jsonl with one valid TraceEvent per line', async () => {
    const sink = createJsonlTraceSink({ traceDir: dir });
    const outcome = await runFlow(
      { run_id: 'run_file', input: { goal: 'What is (19*23)?' } },
      { toolRegistry: registry, models: createStubModels(), trace: sink },
    );
    await sink.flush('run_file');
    const path = join(dir, 'run_file', 'trace.jsonl');
    expect(sink.tracePath('run_file')).toBe(path);
    const lines = await readLines(path);
    checkTraceEvents(lines as never);
    expect(lines.at(-1)).toMatchObject({
      type: 'flow_completed',
      data: { final_text: '19*23 = 437' },
    });
    expect(outcome.result.artifacts).toEqual([
      { type: 'trace', id: 'run_file', uri: pathToFileURL(path).href },
    ]);
    await sink.close();
  });

  it('makes emitted events durable on flush, before the run ends', async () => {
    const sink = createJsonlTraceSink({ traceDir: dir });
    const event = {
      run_id: 'r1',
      seq: 0,
      time: new Date().toISOString(),
      level: 'info' as const,
      type: 'x',
    };
    sink.emit(event);
    sink.emit({ ...event, seq: 1 });
    await sink.flush('r1');
    expect(await readLines(sink.tracePath('r1'))).toHaveLength(2);
    sink.emit({ ...event, seq: 2 });
    await sink.flush('r1');
    expect(await readLines(sink.tracePath('r1'))).toHaveLength(3);
    await sink.close();
  });

  it('refuses run ids that are not safe path segments', async () => {
    const onError = vi.fn();
    const sink = createJsonlTraceSink({ traceDir: join(dir, 'traces'), onError });
    for (const id of ['..', '.', '../escape', 'a/b', 'a\\b', '', 'x'.repeat(129), 'run id']) {
      expect(isSafeRunId(id)).toBe(false);
      expect(() => sink.tracePath(id)).toThrow(/unsafe run id/);
      expect(sink.traceUri(id)).toBeUndefined();
      sink.emit({ run_id: id, seq: 0, time: new Date().toISOString(), level: 'info', type: 'x' });
    }
    expect(onError).toHaveBeenCalledTimes(8);
    await sink.close();
    expect(await readdir(dir)).toEqual([]);
    expect(isSafeRunId('run_1.a:b-C')).toBe(true);
  });

  it('redacts llm_call prompts to their sha256 and length when asked', async () => {
    const sink = createJsonlTraceSink({ traceDir: dir, redactPrompts: true });
    await runFlow(
      { run_id: 'run_red', input: { goal: 'Say secret' } },
      { toolRegistry: registry, models: createStubModels(), trace: sink },
    );
    await sink.flush('run_red');
    const text = await readFile(sink.tracePath('run_red'), 'utf8');
    const calls = (await readLines(sink.tracePath('run_red'))).filter(
      (e) => (e as { type: string }).type === 'llm_call',
    );
    expect(calls[0]).toMatchObject({
      data: {
        prompt: { sha256: createHash('sha256').update('Say secret').digest('hex'), length: 10 },
      },
    });
    expect(text).not.toContain('"prompt":"');
    await sink.close();
  });

  it('rejects flush when the trace cannot be written', async () => {
    const onError = vi.fn();
    // A file where the trace dir should be: mkdir fails.
    const blocker = join(dir, 'blocker');
    await import('node:fs/promises').then((fs) => fs.writeFile(blocker, ''));
    const sink = createJsonlTraceSink({ traceDir: blocker, onError });
    sink.emit({ run_id: 'r', seq: 0, time: new Date().toISOString(), level: 'info', type: 'x' });
    await expect(sink.flush('r')).rejects.toThrow();
    expect(onError).toHaveBeenCalled();
    sink.endRun('r');
    await sink.close();
    await expect(sink.flush('r')).rejects.toThrow();
  });

  it('closes a run file on endRun and appends when the run id is used again', async () => {
    const sink = createJsonlTraceSink({ traceDir: dir });
    const event = {
      run_id: 'r2',
      seq: 0,
      time: new Date().toISOString(),
      level: 'info' as const,
      type: 'x',
    };
    sink.emit(event);
    sink.endRun('r2');
    await sink.flush('r2');
    sink.emit({ ...event, seq: 1 });
    // Again, without waiting for the close to finish.
    sink.endRun('r2');
    sink.emit({ ...event, seq: 2 });
    await sink.flush('r2');
    await sink.close();
    expect(await readLines(sink.tracePath('r2'))).toHaveLength(3);
  });
});
