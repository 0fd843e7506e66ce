// OpenAI mode against msw-mocked Responses and Chat Completions endpoints.
import { createToolRegistry } from '@arp-ts/tool-registry-mock';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createOpenAIModels,
  loadOpenAIConfig,
  type OpenAIConfig,
} from '../src/adapters/openai/index.js';
import { PLAN_SCHEMA } from '../src/adapters/openai/prompts.js';
import { finalText, FIXED_NOW, harness, stepsOf } from './helpers.js';
import {
  chatCompletion,
  chatCompletionStream,
  responseObject,
  responseStream,
  tutorialBrain,
  type FakeBrain,
} from './openai-fakes.js';

const BASE = 'https://openai.test/v1';
const registry = createToolRegistry({ clock: { now: () => FIXED_NOW } });
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Recorded {
  path: string;
  body: Record<string, unknown>;
}

function config(overrides: Partial<OpenAIConfig> = {}): OpenAIConfig {
  return {
    ...loadOpenAIConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: BASE,
      JARVIS_MODEL_PLANNER: 'planner-model',
      JARVIS_MODEL_TOOL_ARGS: 'args-model',
      JARVIS_MODEL_CHAT: 'chat-model',
    }),
    ...overrides,
  };
}

type FormatOf = { name?: string } | undefined;

/** Serves both APIs from one scripted brain and records every request body. */
function serve(brain: FakeBrain): Recorded[] {
  const recorded: Recorded[] = [];
  let argsAttempts = 0;
  const answer = (body: Record<string, unknown>, format: FormatOf, prompt: string) => {
    const name = format?.name;
    if (name === 'plan') return brain.plan();
    if (name?.startsWith('args_')) return brain.args(name.slice(5), argsAttempts++, prompt);
    return undefined;
  };
  server.use(
    http.post(`${BASE}/responses`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      recorded.push({ path: 'responses', body });
      const format = (body.text as { format?: FormatOf } | undefined)?.format;
      const text = answer(body, format, String(body.input));
      if (text !== undefined) return HttpResponse.json(responseObject(text));
      return new HttpResponse(responseStream(brain.chat()), {
        headers: { 'content-type': 'text/event-stream' },
      });
    }),
    http.post(`${BASE}/chat/completions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      recorded.push({ path: 'chat/completions', body });
      const format = (body.response_format as { json_schema?: FormatOf } | undefined)?.json_schema;
      const messages = body.messages as Array<{ content: string }>;
      const text = answer(body, format, messages[1]?.content ?? '');
      if (text !== undefined) return HttpResponse.json(chatCompletion(text));
      return new HttpResponse(chatCompletionStream(brain.chat()), {
        headers: { 'content-type': 'text/event-stream' },
      });
    }),
  );
  return recorded;
}

describe('OpenAI mode, Responses API', () => {
  it('plans and generates args with strict structured outputs and streams the chat', async () => {
    const recorded = serve(tutorialBrain);
    const h = harness(registry, { models: createOpenAIModels(config()) });
    const outcome = await h.run({ run_id: 'run_oa', input: { goal: 'What is (19*23)?' } });

    expect(finalText(outcome)).toBe('19*23 = 437');
    expect(outcome.result.usage).toMatchObject({
      tool_calls: 1,
      model_calls: 3,
      input_tokens: 30,
      output_tokens: 15,
      total_tokens: 45,
    });
    expect(recorded.map((r) => r.path)).toEqual(['responses', 'responses', 'responses']);
    const [plan, args, chat] = recorded.map((r) => r.body);
    expect(plan).toMatchObject({
      model: 'planner-model',
      text: { format: { type: 'json_schema', name: 'plan', strict: true, schema: PLAN_SCHEMA } },
    });
    expect(String(plan?.instructions)).toContain('- calc:');
    expect(args).toMatchObject({
      model: 'args-model',
      text: {
        format: {
          type: 'json_schema',
          name: 'args_calc',
          strict: true,
          schema: { type: 'object', required: ['expression'], additionalProperties: false },
        },
      },
    });
    expect(String(args?.input)).toContain('This call must: multiply 19 by 23');
    expect(chat).toMatchObject({ model: 'chat-model', stream: true });
    expect(String(chat?.input)).toContain('"value":437');

    const tokens = h.events.forRun('run_oa').filter((e) => e.type === 'token');
    expect(tokens.map((e) => e.data?.text)).toEqual(['19*23', ' = ', '437']);
    const calls = h.trace.forRun('run_oa').filter((e) => e.type === 'llm_call');
    expect(calls.map((e) => [e.data?.role, e.data?.model])).toEqual([
      ['planner', 'planner-model'],
      ['tool_args', 'args-model'],
      ['chat', 'chat-model'],
    ]);
  });

  it('repairs invalid args once, feeding the validation errors back', async () => {
    const prompts: string[] = [];
    const recorded = serve({
      ...tutorialBrain,
      args: (_tool, attempt, prompt) => {
        prompts.push(prompt);
        return attempt === 0 ? '{"expression": 42}' : '{"expression":"19*23"}';
      },
    });
    const h = harness(registry, { models: createOpenAIModels(config()) });
    const outcome = await h.run({ run_id: 'run_rep', input: { goal: 'What is (19*23)?' } });
    expect(finalText(outcome)).toBe('19*23 = 437');
    expect(recorded).toHaveLength(4);
    expect(prompts[1]).toContain('Your previous arguments were: {"expression":42}');
    expect(prompts[1]).toContain('They are invalid: $.expression must be string');
    const types = h.trace
      .forRun('run_rep')
      .map((e) => `${e.type}:${String(e.data?.attempt ?? '')}`);
    expect(types).toEqual(expect.arrayContaining(['tool_args_invalid:0', 'tool_args_generated:1']));
    expect(outcome.result.usage).toMatchObject({ model_calls: 4 });
  });

  it('gives up after the repair attempt: the step fails with tool.invalid_args, the run goes on', async () => {
    serve({ ...tutorialBrain, args: () => 'not json', chat: () => ['calc could not run'] });
    const invoke = vi.spyOn(registry, 'invokeTool');
    const outcome = await harness(registry, { models: createOpenAIModels(config()) }).run({
      input: { goal: 'What is (19*23)?' },
    });
    expect(invoke).not.toHaveBeenCalled();
    invoke.mockRestore();
    expect(outcome.result.ok).toBe(true);
    expect(stepsOf(outcome)[1]).toMatchObject({
      ok: false,
      error: { code: 'tool.invalid_args', details: { attempts: 2 } },
    });
    expect(finalText(outcome)).toBe('calc could not run');
  });

  it('retries a 429 answer and then succeeds', async () => {
    let planCalls = 0;
    const recorded = serve(tutorialBrain);
    server.use(
      http.post(`${BASE}/responses`, async ({ request }) => {
        const body = (await request.clone().json()) as { text?: { format?: { name?: string } } };
        if (body.text?.format?.name === 'plan' && planCalls++ === 0) {
          // No body: msw never settles the cancel of a mocked body, which the SDK awaits
          // before it retries (mswjs/interceptors#799).
          return new HttpResponse(null, { status: 429, headers: { 'retry-after-ms': '1' } });
        }
        return undefined;
      }),
    );
    const outcome = await harness(registry, { models: createOpenAIModels(config()) }).run({
      input: { goal: 'What is (19*23)?' },
    });
    expect(finalText(outcome)).toBe('19*23 = 437');
    expect(planCalls).toBe(2);
    expect(recorded).toHaveLength(3);
  });

  it('fails with planner.failed (model.unavailable, retryable) when 5xx answers persist', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/responses`, () => {
        calls++;
        return new HttpResponse(null, { status: 503, headers: { 'retry-after-ms': '1' } });
      }),
    );
    const outcome = await harness(registry, {
      models: createOpenAIModels(config({ maxRetries: 2 })),
    }).run({ input: { goal: 'What is (19*23)?' } });
    expect(outcome.result.error).toMatchObject({
      code: 'planner.failed',
      retryable: true,
      cause: { code: 'model.unavailable' },
    });
    expect(calls).toBe(3);
  });

  it('does not retry a 400 answer', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/responses`, () => {
        calls++;
        return HttpResponse.json({ error: { message: 'bad schema' } }, { status: 400 });
      }),
    );
    const outcome = await harness(registry, { models: createOpenAIModels(config()) }).run({
      input: { goal: 'x' },
    });
    expect(outcome.result.error).toMatchObject({
      code: 'planner.failed',
      retryable: false,
      cause: { code: 'model.error' },
    });
    expect(calls).toBe(1);
  });

  it('fails with planner.invalid_plan when the plan is not JSON', async () => {
    serve({ ...tutorialBrain, plan: () => 'I would use calc' });
    const outcome = await harness(registry, { models: createOpenAIModels(config()) }).run({
      input: { goal: 'x' },
    });
    expect(outcome.result.error?.code).toBe('planner.invalid_plan');
  });

  it('counts API token usage against limits.max_tokens', async () => {
    serve(tutorialBrain);
    const outcome = await harness(registry, { models: createOpenAIModels(config()) }).run({
      input: { goal: 'What is (19*23)?' },
      limits: { max_tokens: 20 },
    });
    expect(outcome.result.error).toMatchObject({
      code: 'limits.max_tokens_exceeded',
      details: { max_tokens: 20, total_tokens: 30 },
    });
  });

  it('aborts a hanging model call at the run deadline', async () => {
    server.use(http.post(`${BASE}/responses`, () => delay('infinite')));
    const outcome = await harness(registry, {
      models: createOpenAIModels(config()),
      clock: { now: () => Date.now() },
    }).run({ input: { goal: 'x' }, limits: { timeout_ms: 100 } });
    expect(outcome.result.error?.code).toBe('limits.timeout');
  });
  it('cancels a run while its chat is streaming, after the first tokens', async () => {
    serve(tutorialBrain);
    const encoder = new TextEncoder();
    server.use(
      http.post(`${BASE}/responses`, async ({ request }) => {
        const body = (await request.clone().json()) as { stream?: boolean };
        if (!body.stream) return undefined;
        const first = responseStream(['19*23']).split('\n\n')[0] ?? '';
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(`${first}\n\n`));
          },
        });
        return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream' } });
      }),
    );
    const controller = new AbortController();
    const h = harness(registry, { models: createOpenAIModels(config()) });
    h.deps.events = {
      emit(event) {
        h.events.emit(event);
        if (event.type === 'token') controller.abort();
      },
    };
    const outcome = await h.run(
      { run_id: 'run_cancel_chat', input: { goal: 'What is (19*23)?' } },
      { signal: controller.signal },
    );
    expect(outcome.status.state).toBe('canceled');
    expect(h.events.forRun('run_cancel_chat').filter((e) => e.type === 'token')).toHaveLength(1);
  });
});

describe('OpenAI mode, Chat Completions API', () => {
  it('uses json_schema response formats and streams chat with usage', async () => {
    const recorded = serve(tutorialBrain);
    const models = createOpenAIModels(config({ apiStyle: 'chat_completions' }));
    const h = harness(registry, { models });
    const outcome = await h.run({ run_id: 'run_cc', input: { goal: 'What is (19*23)?' } });
    expect(finalText(outcome)).toBe('19*23 = 437');
    expect(recorded.map((r) => r.path)).toEqual([
      'chat/completions',
      'chat/completions',
      'chat/completions',
    ]);
    expect(recorded[0]?.body).toMatchObject({
      model: 'planner-model',
      response_format: { type: 'json_schema', json_schema: { name: 'plan', strict: true } },
    });
    expect(recorded[2]?.body).toMatchObject({
      model: 'chat-model',
      stream: true,
      stream_options: { include_usage: true },
    });
    const tokens = h.events.forRun('run_cc').filter((e) => e.type === 'token');
    expect(tokens.map((e) => e.data?.text)).toEqual(['19*23', ' = ', '437']);
    expect(outcome.result.usage).toMatchObject({ model_calls: 3, total_tokens: 45 });
  });
});
