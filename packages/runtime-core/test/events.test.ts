// The RunEvent and TraceEvent streams of runs: order, content, per-run seq, redaction.
import { createHash } from 'node:crypto';
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { describe, expect, it } from 'vitest';
import { createMemoryTraceSink, createStubModels, runFlow } from '../src/index.js';
import { checkRunEvents, checkTraceEvents, FIXED_NOW, harness } from './helpers.js';

const registry = createToolRegistry({ clock: { now: () => FIXED_NOW } });

describe('RunEvents', () => {
  it('stream steps, the tool call and result, tokens and one final event', async () => {
    const h = harness(registry);
    await h.run({ run_id: 'run_ev', input: { goal: 'What is (19*23)?' } });
    const events = h.events.forRun('run_ev');
    expect(events.map((e) => [e.type, e.data?.type ?? '', e.data?.phase ?? ''])).toEqual([
      ['step', 'plan', 'started'],
      ['step', 'plan', 'completed'],
      ['step', 'tool', 'started'],
      ['tool_call', '', ''],
      ['tool_result', '', ''],
      ['step', 'tool', 'completed'],
      ['step', 'chat', 'started'],
      ['token', '', ''],
      ['step', 'chat', 'completed'],
      ['final', '', ''],
    ]);
    expect(events[3]?.data).toEqual({
      index: 1,
      tool: 'calc',
      tool_id: 'tool_calc',
      args: { expression: '19*23' },
      invocation_id: 'inv_1',
    });
    expect(events[4]?.data).toMatchObject({
      index: 1,
      tool: 'calc',
      invocation_id: 'inv_1',
      ok: true,
      result: { expression: '19*23', value: 437 },
    });
    expect(typeof events[4]?.data?.duration_ms).toBe('number');
    expect(events[7]?.data).toEqual({ index: 2, text: '19*23 = 437' });
    expect(events[9]?.data).toEqual({ final_text: '19*23 = 437' });
  });

  it('keep a gap-free seq per run when runs interleave on shared sinks', async () => {
    const h = harness(registry);
    const goals = ['What is (1+1)?', 'What time is it in UTC?', 'Say hi', 'What is (1/0)?'];
    const outcomes = await Promise.all(
      goals.map((goal, i) => runFlow({ run_id: `run_c${i}`, input: { goal } }, h.deps)),
    );
    for (const outcome of outcomes) {
      checkRunEvents(h.events.forRun(outcome.status.run_id));
      checkTraceEvents(h.trace.forRun(outcome.status.run_id));
    }
  });
});

describe('TraceEvents', () => {
  it('use the JARVIS event names in execution order', async () => {
    const h = harness(registry);
    await h.run({ run_id: 'run_tr', input: { goal: 'What is (19*23)?' } });
    expect(h.trace.forRun('run_tr').map((e) => e.type)).toEqual([
      'flow_started',
      'step_started',
      'llm_call',
      'llm_result',
      'step_completed',
      'step_created',
      'step_started',
      'llm_call',
      'llm_result',
      'tool_args_generated',
      'tool_invocation',
      'tool_result',
      'step_completed',
      'step_started',
      'llm_call',
      'llm_result',
      'step_completed',
      'flow_completed',
    ]);
    const started = h.trace.forRun('run_tr')[0];
    expect(started?.data).toMatchObject({ input: { goal: 'What is (19*23)?' }, mode: 'stub' });
    expect(h.trace.endedRuns.has('run_tr')).toBe(true);
  });

  it('record a failed run with flow_failed at level error', async () => {
    const h = harness(registry);
    await h.run({ run_id: 'run_ff', input: { goal: 'What is (1+1)?' }, limits: { max_tokens: 1 } });
    const last = h.trace.forRun('run_ff').at(-1);
    expect(last).toMatchObject({
      type: 'flow_failed',
      level: 'error',
      data: { state: 'failed', error: { code: 'limits.max_tokens_exceeded' } },
    });
  });

  it('carry prompt digests instead of prompts when redactPrompts is set', async () => {
    const h = harness(registry, { redactPrompts: true });
    await h.run({ run_id: 'run_rd', input: { goal: 'What is (19*23)?' } });
    const calls = h.trace.forRun('run_rd').filter((e) => e.type === 'llm_call');
    expect(calls).toHaveLength(3);
    const digest = createHash('sha256').update('What is (19*23)?').digest('hex');
    expect(calls[0]?.data).toEqual({
      role: 'planner',
      model: 'stub',
      prompt: { sha256: digest, length: 16 },
    });
    expect(JSON.stringify(calls)).not.toContain('19*23)?');
  });

  it('put a trace artifact on the result when the sink can say where the trace is', async () => {
    const trace = createMemoryTraceSink();
    const outcome = await runFlow(
      { run_id: 'run_art', input: { goal: 'Say hi' } },
      {
        toolRegistry: registry,
        models: createStubModels(),
        trace: { ...trace, traceUri: (id) => `file:///tmp/traces/${id}/trace.jsonl` },
      },
    );
    expect(outcome.result.artifacts).toEqual([
      { type: 'trace', id: 'run_art', uri: 'file:///tmp/traces/run_art/trace.jsonl' },
    ]);
  });
});
