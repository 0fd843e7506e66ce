// The outcome rules of runFlow, one by one, against the real in-process registry.
import type { ToolDefinition } from '@arp-ts/sdk';
import { createToolRegistry, type ToolDomain } from '@arp-ts/tool-registry-mock';
import { describe, expect, it, vi } from 'vitest';
import {
  createStubModels,
  ModelError,
  runFlow,
  type ModelRoles,
  type PlannerModel,
  type ToolRegistryPort,
} from '../src/index.js';
import { finalText, FIXED_NOW, harness, stepsOf } from './helpers.js';

const registry = createToolRegistry({ clock: { now: () => FIXED_NOW } });

function withPlanner(planner: PlannerModel['plan']): ModelRoles {
  const stub = createStubModels();
  return { ...stub, planner: { model: 'test-planner', plan: planner } };
}

/** A registry whose `echo` waits until its invocation is aborted (or 10 s pass). */
function slowRegistry(): {
  registry: ReturnType<typeof createToolRegistry>;
  started: Promise<AbortSignal>;
} {
  let markStarted: (signal: AbortSignal) => void = () => undefined;
  const started = new Promise<AbortSignal>((resolve) => (markStarted = resolve));
  const slow: ToolDomain = {
    name: 'slow',
    tools: [
      {
        definition: {
          tool_id: 'tool_slow_echo',
          name: 'echo',
          input_schema: {
            type: 'object',
            required: ['text'],
            properties: { text: { type: 'string' } },
          },
          source: 'registry_local',
        },
        timeoutMs: 10_000,
        handler: (args, ctx) =>
          new Promise((resolve) => {
            markStarted(ctx.signal);
            const timer = setTimeout(() => resolve({ text: String(args.text) }), 10_000);
            ctx.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              resolve({ text: 'aborted' });
            });
          }),
      },
    ],
  };
  return { registry: createToolRegistry({ domains: [slow] }), started };
}

describe('tool failures are recorded and handed to chat', () => {
  it('reports a failing calc in the final text and still succeeds', async () => {
    const outcome = await harness(registry).run({ input: { goal: 'What is (1/0)?' } });
    expect(outcome.status.state).toBe('succeeded');
    expect(finalText(outcome)).toMatch(/^calc failed: tool\.execution_error: Division by zero/);
    expect(stepsOf(outcome)[1]).toMatchObject({
      tool: 'calc',
      ok: false,
      error: { code: 'tool.execution_error' },
    });
  });

  it('records a tool the registry does not know as tool.not_found', async () => {
    const models = withPlanner(() =>
      Promise.resolve({ steps: [{ type: 'tool', tool: 'teleport', intent: 'Mars' }] }),
    );
    const outcome = await harness(registry, { models }).run({ input: { goal: 'Beam me up' } });
    expect(outcome.result.ok).toBe(true);
    expect(finalText(outcome)).toBe('teleport failed: tool.not_found: there is no tool teleport');
  });

  it('records arguments that break the input schema without invoking the tool', async () => {
    const models = withPlanner(() =>
      Promise.resolve({ steps: [{ type: 'tool', tool: 'calc', args: { expression: 42 } }] }),
    );
    const h = harness(registry, { models });
    const outcome = await h.run({ input: { goal: 'x' } });
    expect(outcome.result.ok).toBe(true);
    expect(stepsOf(outcome)[1]).toMatchObject({
      ok: false,
      args: { expression: 42 },
      error: { code: 'tool.invalid_args' },
    });
    expect(outcome.result.usage).toMatchObject({ tool_calls: 0 });
    expect(h.trace.events.map((e) => e.type)).toContain('tool_args_invalid');
    expect(h.events.events.map((e) => e.type)).not.toContain('tool_call');
  });
});

describe('limits', () => {
  it('fails with limits.max_steps_exceeded and keeps the partial step record', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'What is (1+1), what is (2+2) and what is (3+3)?' },
      limits: { max_steps: 2 },
    });
    expect(outcome.status.state).toBe('failed');
    expect(outcome.result.error).toMatchObject({ code: 'limits.max_steps_exceeded' });
    expect(stepsOf(outcome).map((s) => [s.type, s.ok])).toEqual([
      ['plan', true],
      ['tool', true],
      ['tool', true],
    ]);
    expect(outcome.result.output?.final_text).toBeUndefined();
  });

  it('counts plan steps: endless re-planning stops at the default of 16 steps', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'What is (1+1)?', data: { replan: Array(40).fill('Say again') } },
    });
    expect(outcome.result.error?.code).toBe('limits.max_steps_exceeded');
    // The first plan is free; 16 more steps ran (alternating plan and echo).
    expect(stepsOf(outcome)).toHaveLength(17);
  });

  it('fails with limits.timeout and aborts the in-flight invocation', async () => {
    const slow = slowRegistry();
    const outcome = await harness(slow.registry, { clock: { now: () => Date.now() } }).run({
      input: { goal: 'Say hi' },
      limits: { timeout_ms: 50 },
    });
    expect(outcome.status.state).toBe('failed');
    expect(outcome.result.error).toMatchObject({
      code: 'limits.timeout',
      details: { timeout_ms: 50 },
    });
    expect((await slow.started).aborted).toBe(true);
  });

  it('fails with limits.max_tokens_exceeded when model usage passes max_tokens', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'What is (19*23)?' },
      limits: { max_tokens: 3 },
    });
    expect(outcome.result.error).toMatchObject({
      code: 'limits.max_tokens_exceeded',
      details: { max_tokens: 3 },
    });
    expect(outcome.result.usage).toMatchObject({ model_calls: 1 });
  });

  it('lets a run within max_tokens succeed and reports its token usage', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'What is (19*23)?' },
      limits: { max_tokens: 1000 },
    });
    expect(outcome.result.ok).toBe(true);
    const usage = outcome.result.usage as {
      input_tokens: number;
      output_tokens: number;
      total_tokens: number;
    };
    expect(usage.total_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
  });
});

describe('cancellation', () => {
  it('cancels a run mid-invocation: state canceled, invocation aborted', async () => {
    const slow = slowRegistry();
    const controller = new AbortController();
    const h = harness(slow.registry);
    const running = h.run({ input: { goal: 'Say hi' } }, { signal: controller.signal });
    const toolSignal = await slow.started;
    controller.abort();
    const outcome = await running;
    expect(outcome.status.state).toBe('canceled');
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'run.canceled' } });
    expect(toolSignal.aborted).toBe(true);
    expect(h.trace.endedRuns.has(outcome.status.run_id)).toBe(true);
    expect(h.trace.events.at(-1)?.data).toMatchObject({ state: 'canceled' });
  });

  it('cancels a run whose signal is already aborted before any step', async () => {
    const h = harness(registry);
    const outcome = await h.run(
      { input: { goal: 'What is (1+1)?' } },
      { signal: AbortSignal.abort() },
    );
    expect(outcome.status.state).toBe('canceled');
    expect(outcome.result.usage).toMatchObject({ tool_calls: 0, model_calls: 0 });
  });
});

describe('tool_policy', () => {
  it('never invokes a denied tool and records policy.tool_denied', async () => {
    const invoke = vi.spyOn(registry, 'invokeTool');
    const h = harness(registry);
    const outcome = await h.run({
      input: { goal: 'What is (2+2)?' },
      tool_policy: { deny_tool_ids: ['tool_calc'] },
    });
    expect(outcome.result.ok).toBe(true);
    expect(invoke).not.toHaveBeenCalled();
    invoke.mockRestore();
    expect(stepsOf(outcome)[1]).toMatchObject({ ok: false, error: { code: 'policy.tool_denied' } });
    expect(finalText(outcome)).toMatch(/^calc failed: policy\.tool_denied: /);
  });

  it('runs allowed tools only, and deny wins over allow', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'What is (2+2) and what time is it in UTC?' },
      tool_policy: { allow_tool_ids: ['tool_calc', 'tool_time_now'], deny_tool_ids: ['tool_calc'] },
    });
    expect(
      stepsOf(outcome)
        .slice(1, 3)
        .map((s) => [s.tool, s.ok, (s.error as { code?: string })?.code]),
    ).toEqual([
      ['calc', false, 'policy.tool_denied'],
      ['time_now', true, undefined],
    ]);
  });

  it('offers the planner only the allowed tools', async () => {
    let offered: string[] = [];
    const models = withPlanner(async (input) => {
      offered = (await input.tools()).map((t) => t.tool_id);
      return { steps: [] };
    });
    const outcome = await harness(registry, { models }).run({
      input: { goal: 'x' },
      tool_policy: { allow_tool_ids: ['tool_echo', 'tool_calc'], deny_tool_ids: ['calc'] },
    });
    expect(outcome.result.ok).toBe(true);
    expect(offered).toEqual(['tool_echo']);
  });
});

describe('tool registry outage', () => {
  function flaky(failures: number): ToolRegistryPort & { lookups: number } {
    const port = {
      lookups: 0,
      listTools: () => registry.listTools(),
      getTool(id: string): Promise<ToolDefinition | undefined> {
        port.lookups++;
        if (port.lookups <= failures) return Promise.reject(new Error('connect ECONNREFUSED'));
        return registry.getTool(id);
      },
      invokeTool: registry.invokeTool.bind(registry),
    };
    return port;
  }

  it('retries look-ups with growing backoff and succeeds when the registry recovers', async () => {
    const port = flaky(2);
    const sleep = vi.fn(() => Promise.resolve());
    const h = harness(port, { registryRetry: { attempts: 3, baseDelayMs: 10, sleep } });
    const outcome = await h.run({ input: { goal: 'What is (19*23)?' } });
    expect(finalText(outcome)).toBe('19*23 = 437');
    expect(port.lookups).toBe(3);
    expect(sleep.mock.calls.map((call: unknown[]) => call[0])).toEqual([10, 20]);
    expect(h.trace.events.filter((e) => e.type === 'tool_registry_retry')).toHaveLength(2);
  });

  it('fails with a retryable tool_registry.unavailable after the bounded attempts', async () => {
    const port = flaky(Infinity);
    const outcome = await harness(port).run({ input: { goal: 'What is (19*23)?' } });
    expect(outcome.status.state).toBe('failed');
    expect(outcome.result.error).toMatchObject({
      code: 'tool_registry.unavailable',
      retryable: true,
      details: { attempts: 3 },
      cause: { message: 'connect ECONNREFUSED' },
    });
    expect(port.lookups).toBe(3);
  });

  it('does not retry an invocation that failed in transit (the tool may have run)', async () => {
    const invokeTool = vi.fn(() => Promise.reject(new Error('socket hang up')));
    const port: ToolRegistryPort = {
      listTools: () => registry.listTools(),
      getTool: (id) => registry.getTool(id),
      invokeTool,
    };
    const outcome = await harness(port).run({ input: { goal: 'What is (19*23)?' } });
    expect(outcome.result.error).toMatchObject({
      code: 'tool_registry.unavailable',
      retryable: true,
    });
    expect(invokeTool).toHaveBeenCalledTimes(1);
  });
});

describe('planner outcomes', () => {
  it('fails with planner.failed when the planner throws', async () => {
    const models = withPlanner(() => Promise.reject(new Error('model offline')));
    const outcome = await harness(registry, { models }).run({ input: { goal: 'x' } });
    expect(outcome.result.error).toMatchObject({
      code: 'planner.failed',
      cause: { message: 'model offline' },
    });
  });

  it.each([
    ['not a list', 'nope'],
    ['an unknown step type', [{ type: 'dance' }]],
    ['a tool step without a tool', [{ type: 'tool' }]],
    ['too many steps', Array(65).fill({ type: 'tool', tool: 'echo' })],
  ])('fails with planner.invalid_plan for %s', async (_label, steps) => {
    const models = withPlanner(() => Promise.resolve({ steps }));
    const outcome = await harness(registry, { models }).run({ input: { goal: 'x' } });
    expect(outcome.result.error?.code).toBe('planner.invalid_plan');
  });
});

describe('re-planning', () => {
  it('runs the plan step from input.data.replan and grows the plan', async () => {
    const h = harness(registry);
    const outcome = await h.run({
      input: { goal: 'What is (6*7)?', data: { replan: 'What time is it in UTC?' } },
    });
    expect(stepsOf(outcome).map((s) => s.tool ?? s.type)).toEqual([
      'plan',
      'calc',
      'plan',
      'time_now',
      'chat',
    ]);
    expect(finalText(outcome)).toBe('6*7 = 42\nThe time in UTC is 2026-01-02T03:04:05.000+00:00.');
    const planEvents = h.events.events.filter((e) => e.type === 'step' && e.data?.type === 'plan');
    expect(planEvents.map((e) => [e.data?.index, e.data?.phase])).toEqual([
      [0, 'started'],
      [0, 'completed'],
      [2, 'started'],
      [2, 'completed'],
    ]);
  });

  it('hands the re-planner the steps so far', async () => {
    const seen: unknown[] = [];
    const models = withPlanner((input) => {
      seen.push(input.steps.map((s) => s.tool ?? s.type));
      return Promise.resolve({
        steps:
          input.round === 0 ? [{ type: 'tool', tool: 'echo', intent: 'a' }, { type: 'plan' }] : [],
      });
    });
    const outcome = await harness(registry, { models }).run({ input: { goal: 'x' } });
    expect(outcome.result.ok).toBe(true);
    expect(seen).toEqual([[], ['plan', 'echo']]);
  });
});

describe('input.data.expression', () => {
  it('is calculated by the stub planner', async () => {
    const outcome = await harness(registry).run({
      input: { goal: 'Compute the expression I gave you', data: { expression: '2^10' } },
    });
    expect(finalText(outcome)).toBe('2^10 = 1024');
  });
});

describe('runFlow without sinks', () => {
  it('needs only a registry and models, and gives the same result', async () => {
    const outcome = await runFlow(
      { run_id: 'run_plain', input: { goal: 'What is (19*23)?' } },
      { toolRegistry: registry, models: createStubModels() },
    );
    expect(outcome.status).toMatchObject({ run_id: 'run_plain', state: 'succeeded' });
    expect(finalText(outcome)).toBe('19*23 = 437');
    expect(outcome.result.artifacts).toBeUndefined();
  });

  it('assigns a random run id when the request has none', async () => {
    const deps = { toolRegistry: registry, models: createStubModels() };
    const a = await runFlow({ input: { goal: 'Say a' } }, deps);
    const b = await runFlow({ input: { goal: 'Say b' } }, deps);
    expect(a.status.run_id).toMatch(/^run_[0-9a-f-]{36}$/);
    expect(a.status.run_id).not.toBe(b.status.run_id);
  });

  it('fails a request without a goal with request.invalid_shape instead of throwing', async () => {
    const outcome = await runFlow({ input: {} } as never, {
      toolRegistry: registry,
      models: createStubModels(),
    });
    expect(outcome.result.error?.code).toBe('request.invalid_shape');
  });
});

describe('robustness', () => {
  it('reports a failing tool listing even when the planner swallows it', async () => {
    const port: ToolRegistryPort = {
      listTools: () => Promise.reject(new Error('registry down')),
      getTool: (id) => registry.getTool(id),
      invokeTool: (request) => registry.invokeTool(request),
    };
    const models = withPlanner(async (input) => {
      await input.tools().catch(() => undefined);
      return { steps: [] };
    });
    const outcome = await harness(port, { models }).run({ input: { goal: 'x' } });
    expect(outcome.result.error).toMatchObject({
      code: 'tool_registry.unavailable',
      details: { operation: 'listTools', attempts: 3 },
    });
  });

  it('resolves even when an event sink throws', async () => {
    const outcome = await runFlow(
      { input: { goal: 'What is (19*23)?' } },
      {
        toolRegistry: registry,
        models: createStubModels(),
        events: {
          emit: () => {
            throw new Error('broken sink');
          },
        },
        trace: {
          emit: () => {
            throw new Error('broken sink');
          },
        },
      },
    );
    expect(finalText(outcome)).toBe('19*23 = 437');
  });
});

describe('model failures after planning', () => {
  it('records a failing tool-args model on the step and lets the run succeed', async () => {
    const stub = createStubModels();
    const models: ModelRoles = {
      ...stub,
      toolArgs: {
        model: 'broken',
        repairAttempts: 0,
        generate: () => Promise.reject(new Error('args model down')),
      },
    };
    const outcome = await harness(registry, { models }).run({ input: { goal: 'What is (1+1)?' } });
    expect(outcome.result.ok).toBe(true);
    expect(stepsOf(outcome)[1]).toMatchObject({
      ok: false,
      error: { code: 'model.error', message: 'the tool-args model failed: args model down' },
    });
  });

  it.each([
    [new Error('boom'), 'model.error', false],
    [new ModelError('model.unavailable', 'busy', { retryable: true }), 'model.unavailable', true],
  ])('fails the run when the chat model fails (%s)', async (thrown, code, retryable) => {
    const models: ModelRoles = {
      ...createStubModels(),
      chat: { model: 'broken', respond: () => Promise.reject(thrown) },
    };
    const outcome = await harness(registry, { models }).run({ input: { goal: 'What is (1+1)?' } });
    expect(outcome.status.state).toBe('failed');
    expect(outcome.result.error).toMatchObject({ code, retryable });
    expect(stepsOf(outcome).map((s) => s.type)).toEqual(['plan', 'tool']);
  });
});
