import {
  validateToolInvocationResult,
  type ToolDefinition,
  type ToolInvocationRequest,
} from '@arp-ts/sdk';
import { describe, expect, it, vi } from 'vitest';
import {
  coreDomain,
  createToolRegistry,
  DomainError,
  ToolArgumentsError,
  ToolExecutionError,
  type ToolDomain,
  type ToolHandlerContext,
  type ToolImplementation,
} from '../src/index.js';
import { invoke } from './helpers.js';

function definition(name: string, extra: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    tool_id: `tool_${name}`,
    name,
    description: `The ${name} test tool.`,
    input_schema: { type: 'object', additionalProperties: false, properties: {}, required: [] },
    source: 'registry_local',
    ...extra,
  };
}

function tool(
  name: string,
  handler: ToolImplementation['handler'],
  extra: Partial<ToolImplementation> = {},
): ToolImplementation {
  return { definition: definition(name), handler, ...extra };
}

function domainOf(name: string, ...tools: ToolImplementation[]): ToolDomain {
  return { name, tools };
}

describe('lookup', () => {
  const registry = createToolRegistry();

  it('lists the core tools by default', async () => {
    const tools = await registry.listTools();
    expect(tools.map((t) => t.tool_id)).toEqual(['tool_echo', 'tool_calc', 'tool_time_now']);
    expect(registry.domains).toEqual(['core']);
    expect(registry.describeDomains()).toEqual([
      { name: 'core', toolIds: ['tool_echo', 'tool_calc', 'tool_time_now'] },
    ]);
  });

  it('finds a tool by id and by name, and answers undefined for an unknown one', async () => {
    expect((await registry.getTool('tool_calc'))?.name).toBe('calc');
    expect((await registry.getTool('calc'))?.tool_id).toBe('tool_calc');
    expect(await registry.getTool('constructor')).toBeUndefined();
    expect(await registry.getTool('nope')).toBeUndefined();
    expect(registry.findTool('echo')?.tool_id).toBe('tool_echo');
  });

  it('hands out frozen definitions, detached from the domain objects', async () => {
    const def = await registry.getTool('echo');
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def?.input_schema)).toBe(true);
    expect(() => {
      (def as { name: string }).name = 'hacked';
    }).toThrow(TypeError);
    const tools = await registry.listTools();
    tools.pop();
    expect(await registry.listTools()).toHaveLength(3);

    const source = tool('mutable', () => ({}));
    const own = createToolRegistry({ domains: [domainOf('d', source)] });
    source.definition.name = 'changed';
    expect(own.findTool('mutable')).toBeDefined();
    expect(Object.isFrozen(source.definition)).toBe(false);
  });
});

describe('invokeTool', () => {
  it('resolves by tool_id or tool_name and echoes invocation_id with a duration', async () => {
    const registry = createToolRegistry();
    const byId = await registry.invokeTool({
      invocation_id: 'inv_a',
      tool_id: 'tool_echo',
      args: { text: 'x' },
    });
    expect(byId).toEqual({
      invocation_id: 'inv_a',
      ok: true,
      result: { text: 'x' },
      duration_ms: expect.any(Number),
    });
    const byName = await registry.invokeTool({
      invocation_id: 'inv_b',
      tool_name: 'echo',
      args: { text: 'y' },
    });
    expect(byName).toMatchObject({ invocation_id: 'inv_b', ok: true, result: { text: 'y' } });
    expect(Number.isInteger(byName.duration_ms)).toBe(true);
  });

  it('answers tool.not_found for unknown tools and contradicting id and name', async () => {
    const registry = createToolRegistry();
    const cases = [
      [{ tool_id: 'tool_nope' }, "No tool with tool_id 'tool_nope'."],
      [{ tool_name: 'nope' }, "No tool named 'nope'."],
      [{ tool_id: 'calc' }, "No tool with tool_id 'calc'."],
      [
        { tool_id: 'tool_calc', tool_name: 'echo' },
        "tool_id 'tool_calc' and tool_name 'echo' name different tools.",
      ],
      [{}, 'The request names no tool: set tool_id or tool_name.'],
    ] as const;
    for (const [names, message] of cases) {
      // The last case breaks the request type on purpose: untyped callers can send it.
      const request = { invocation_id: 'i', args: {}, ...names } as ToolInvocationRequest;
      const result = await registry.invokeTool(request);
      expect(result).toMatchObject({
        invocation_id: 'i',
        ok: false,
        error: { code: 'tool.not_found', message },
      });
      expect(validateToolInvocationResult(result).ok).toBe(true);
    }
  });

  it('accepts a matching tool_id and tool_name together', async () => {
    const result = await createToolRegistry().invokeTool({
      invocation_id: 'i',
      tool_id: 'tool_calc',
      tool_name: 'calc',
      args: { expression: '1+1' },
    });
    expect(result.result).toEqual({ expression: '1+1', value: 2 });
  });

  it('answers tool.invalid_args with the schema errors, without calling the handler', async () => {
    const handler = vi.fn(() => ({}));
    const strict = tool('strict', handler);
    strict.definition.input_schema = {
      type: 'object',
      additionalProperties: false,
      required: ['n'],
      properties: { n: { type: 'integer', minimum: 1 } },
    };
    const registry = createToolRegistry({ domains: [domainOf('d', strict)] });
    const result = await invoke(registry, 'strict', { n: 0, extra: 1 });
    expect(result.error).toEqual({
      code: 'tool.invalid_args',
      message: 'The arguments do not match the input schema of strict.',
      details: {
        errors: [
          {
            path: '$.extra',
            message: 'is not an allowed property',
            keyword: 'additionalProperties',
          },
          { path: '$.n', message: 'must be >= 1', keyword: 'minimum' },
        ],
      },
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('passes the invocation id, the clock and a live signal to the handler', async () => {
    let seen: ToolHandlerContext | undefined;
    const registry = createToolRegistry({
      clock: { now: () => 42 },
      domains: [
        domainOf(
          'd',
          tool('ctx', (_args, ctx) => ((seen = ctx), { ok: 1 })),
        ),
      ],
    });
    await registry.invokeTool({ invocation_id: 'inv_ctx', tool_name: 'ctx', args: {} });
    expect(seen?.invocationId).toBe('inv_ctx');
    expect(seen?.clock.now()).toBe(42);
    expect(seen?.signal.aborted).toBe(false);
  });

  it('awaits async handlers', async () => {
    const registry = createToolRegistry({
      domains: [
        domainOf(
          'd',
          tool('later', async () => ({ done: true })),
        ),
      ],
    });
    expect((await invoke(registry, 'later', {})).result).toEqual({ done: true });
  });

  it('maps a ToolExecutionError to tool.execution_error with its details and retryable flag', async () => {
    const failing = tool('failing', () => {
      throw new ToolExecutionError('The record is locked.', {
        details: { record: 7 },
        retryable: true,
      });
    });
    const asyncFailing = tool('async_failing', async () => {
      throw new ToolExecutionError('Nope.');
    });
    const registry = createToolRegistry({ domains: [domainOf('d', failing, asyncFailing)] });
    expect((await invoke(registry, 'failing', {})).error).toEqual({
      code: 'tool.execution_error',
      message: 'The record is locked.',
      details: { record: 7 },
      retryable: true,
    });
    expect((await invoke(registry, 'async_failing', {})).error).toEqual({
      code: 'tool.execution_error',
      message: 'Nope.',
    });
  });

  it('recognises tool errors by brand, not by class identity', async () => {
    // What a domain bundling its own copy of this package would throw.
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('@arp-ts/tool-registry-mock/tool-error')]: 'tool.execution_error',
    });
    const registry = createToolRegistry({
      domains: [
        domainOf(
          'd',
          tool('foreign', () => Promise.reject(foreign)),
        ),
      ],
    });
    expect((await invoke(registry, 'foreign', {})).error?.code).toBe('tool.execution_error');
  });

  it('maps a ToolArgumentsError to tool.invalid_args with its issues', async () => {
    const picky = tool('picky', () => {
      throw new ToolArgumentsError('Bad date.', [
        { path: '$.date', message: 'is in the past', keyword: 'date' },
      ]);
    });
    const registry = createToolRegistry({ domains: [domainOf('d', picky)] });
    expect((await invoke(registry, 'picky', {})).error).toEqual({
      code: 'tool.invalid_args',
      message: 'Bad date.',
      details: { errors: [{ path: '$.date', message: 'is in the past', keyword: 'date' }] },
    });
  });

  it('hides unexpected throws behind tool.handler_error and reports them', async () => {
    const secret = new Error('connection string postgres://admin:hunter2@db');
    const onHandlerError = vi.fn();
    const registry = createToolRegistry({
      onHandlerError,
      domains: [
        domainOf(
          'd',
          tool('sync_boom', () => {
            throw secret;
          }),
          tool('async_boom', () => Promise.reject(secret)),
        ),
      ],
    });
    for (const name of ['sync_boom', 'async_boom']) {
      const result = await registry.invokeTool({
        invocation_id: `inv_${name}`,
        tool_name: name,
        args: {},
      });
      expect(result.error).toEqual({
        code: 'tool.handler_error',
        message: `Tool ${name} failed with an unexpected error.`,
      });
      expect(JSON.stringify(result)).not.toContain('hunter2');
      expect(onHandlerError).toHaveBeenLastCalledWith(secret, {
        toolId: `tool_${name}`,
        toolName: name,
        invocationId: `inv_${name}`,
      });
    }
    // A per-call reporter wins over the registry's.
    const perCall = vi.fn();
    await registry.invokeTool(
      { invocation_id: 'i', tool_name: 'sync_boom', args: {} },
      { onHandlerError: perCall },
    );
    expect(perCall).toHaveBeenCalledTimes(1);
    expect(onHandlerError).toHaveBeenCalledTimes(2);
  });

  it('survives a reporter that throws', async () => {
    const registry = createToolRegistry({
      onHandlerError: () => {
        throw new Error('reporter broke');
      },
      domains: [
        domainOf(
          'd',
          tool('boom', () => Promise.reject(new Error('x'))),
        ),
      ],
    });
    expect((await invoke(registry, 'boom', {})).error?.code).toBe('tool.handler_error');
  });

  it('refuses results that are not objects or break the output schema', async () => {
    const typed = tool('typed', (args) => ({ n: args.bad ? 'one' : 1 }));
    typed.definition.input_schema = { type: 'object', properties: { bad: { type: 'boolean' } } };
    typed.definition.output_schema = {
      type: 'object',
      required: ['n'],
      properties: { n: { type: 'number' } },
    };
    const registry = createToolRegistry({
      domains: [
        domainOf(
          'd',
          typed,
          tool('array', () => [] as unknown as Record<string, unknown>),
          tool('nothing', () => undefined as unknown as Record<string, unknown>),
          tool('nullish', async () => null as unknown as Record<string, unknown>),
        ),
      ],
    });
    expect((await invoke(registry, 'typed', { bad: false })).ok).toBe(true);
    expect((await invoke(registry, 'typed', { bad: true })).error).toEqual({
      code: 'tool.handler_error',
      message: 'Tool typed returned a result that breaks its output schema.',
      details: { errors: [{ path: '$.n', message: 'must be number', keyword: 'type' }] },
    });
    expect((await invoke(registry, 'array', {})).error?.message).toBe(
      'Tool array returned an array instead of an object.',
    );
    expect((await invoke(registry, 'nothing', {})).error?.message).toBe(
      'Tool nothing returned undefined instead of an object.',
    );
    expect((await invoke(registry, 'nullish', {})).error?.message).toBe(
      'Tool nullish returned null instead of an object.',
    );
  });

  it('answers tool.timeout at the deadline and aborts the handler', async () => {
    let handlerSignal: AbortSignal | undefined;
    const slow = tool(
      'slow',
      (_args, ctx) => {
        handlerSignal = ctx.signal;
        return new Promise(() => undefined); // never settles on its own
      },
      { timeoutMs: 30 },
    );
    const registry = createToolRegistry({ domains: [domainOf('d', slow)] });
    const result = await invoke(registry, 'slow', {});
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'tool.timeout',
        message: 'Tool slow did not finish within 30 ms.',
        details: { timeout_ms: 30 },
        retryable: true,
      },
    });
    expect(result.duration_ms).toBeGreaterThanOrEqual(25);
    expect(handlerSignal?.aborted).toBe(true);
    expect((handlerSignal?.reason as Error).name).toBe('TimeoutError');
  });

  it('hands an aborted signal to a handler that first reads it after the deadline', async () => {
    let late: AbortSignal | undefined;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const lazy = tool(
      'lazy',
      async (_args, ctx) => {
        await released;
        late = ctx.signal;
        return {};
      },
      { timeoutMs: 10 },
    );
    const registry = createToolRegistry({ domains: [domainOf('d', lazy)] });
    expect((await invoke(registry, 'lazy', {})).error?.code).toBe('tool.timeout');
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(late?.aborted).toBe(true);
    expect((late?.reason as Error).name).toBe('TimeoutError');
  });

  it('applies the registry default deadline to tools without their own', async () => {
    const registry = createToolRegistry({
      defaultTimeoutMs: 20,
      domains: [
        domainOf(
          'd',
          tool('slow', () => new Promise(() => undefined)),
        ),
      ],
    });
    expect((await invoke(registry, 'slow', {})).error?.details).toEqual({ timeout_ms: 20 });
  });

  it("rejects with the caller's abort reason and aborts the handler", async () => {
    let handlerSignal: AbortSignal | undefined;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const waiting = tool('waiting', (_args, ctx) => {
      handlerSignal = ctx.signal;
      started();
      return new Promise(() => undefined);
    });
    const registry = createToolRegistry({ domains: [domainOf('d', waiting)] });
    const controller = new AbortController();
    const pending = invoke(registry, 'waiting', {}, { signal: controller.signal });
    await running;
    const reason = new Error('run canceled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(handlerSignal?.aborted).toBe(true);
    expect(handlerSignal?.reason).toBe(reason);
  });

  it('rejects at once when the signal is already aborted, without running the tool', async () => {
    const handler = vi.fn(() => ({}));
    const registry = createToolRegistry({ domains: [domainOf('d', tool('t', handler))] });
    const signal = AbortSignal.abort(new Error('gone'));
    await expect(invoke(registry, 't', {}, { signal })).rejects.toThrow('gone');
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects a request without a string invocation_id as a programming error', async () => {
    const registry = createToolRegistry();
    // What untyped callers might pass.
    const malformed = (value: unknown) => value as Parameters<typeof registry.invokeTool>[0];
    await expect(registry.invokeTool(malformed({ tool_name: 'echo', args: {} }))).rejects.toThrow(
      TypeError,
    );
    await expect(registry.invokeTool(malformed(null))).rejects.toThrow(TypeError);
  });

  it('clips long messages of expected failures', async () => {
    const registry = createToolRegistry({
      domains: [
        domainOf(
          'd',
          tool('chatty', () => {
            throw new ToolExecutionError('x'.repeat(5_000));
          }),
        ),
      ],
    });
    expect((await invoke(registry, 'chatty', {})).error?.message).toHaveLength(2_003);
  });
});

describe('domains and clashes', () => {
  it('enables several domains and refuses a domain enabled twice', () => {
    const extra = domainOf(
      'extra',
      tool('ping', () => ({ pong: true })),
    );
    const registry = createToolRegistry({ domains: [coreDomain, extra] });
    expect(registry.domains).toEqual(['core', 'extra']);
    expect(registry.findTool('ping')?.tool_id).toBe('tool_ping');
    expect(() => createToolRegistry({ domains: [coreDomain, coreDomain] })).toThrow(
      new DomainError("Domain 'core' is enabled more than once."),
    );
  });

  it('refuses a tool name that another domain already uses', () => {
    const other = domainOf('mine', {
      definition: definition('calc', { tool_id: 'tool_my_calc' }),
      handler: () => ({}),
    });
    expect(() => createToolRegistry({ domains: [coreDomain, other] })).toThrow(
      "Tool 'calc' (tool_my_calc) of domain 'mine' clashes with tool 'calc' (tool_calc) of domain 'core': tool ids and names must be unique across domains.",
    );
  });

  it('refuses a tool id that another domain already uses', () => {
    const other = domainOf('mine', {
      definition: definition('my_echo', { tool_id: 'tool_echo' }),
      handler: () => ({}),
    });
    expect(() => createToolRegistry({ domains: [coreDomain, other] })).toThrow(
      /clashes with tool 'echo' \(tool_echo\)/,
    );
  });

  it("refuses a name equal to another tool's id, which would make lookups ambiguous", () => {
    const other = domainOf('mine', {
      definition: definition('tool_calc', { tool_id: 'tool_x' }),
      handler: () => ({}),
    });
    expect(() => createToolRegistry({ domains: [coreDomain, other] })).toThrow(DomainError);
  });

  it('refuses malformed domains with a message naming the problem', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /Domain #1 is not a valid tool domain: it is not an object/],
      [
        { name: 'bad name!', tools: [] },
        /Domain 'bad name!' is not a valid tool domain: `name` must be/,
      ],
      [{ name: 'd', tools: {} }, /`tools` must be an array/],
      [
        { name: 'd', tools: [{ definition: definition('t') }] },
        /tools\[0\]\.handler must be a function/,
      ],
      [
        { name: 'd', tools: [{ definition: { name: 't' }, handler: () => ({}) }] },
        /tools\[0\]\.definition is not a valid ToolDefinition \(\$\.tool_id is required/,
      ],
      [
        {
          name: 'd',
          tools: [
            {
              definition: definition('t', { input_schema: { type: 'string' } }),
              handler: () => ({}),
            },
          ],
        },
        /input_schema must have "type": "object"/,
      ],
      [
        { name: 'd', tools: [{ ...tool('t', () => ({})), timeoutMs: -5 }] },
        /tools\[0\]\.timeoutMs must be/,
      ],
    ];
    for (const [domain, message] of cases) {
      expect(() => createToolRegistry({ domains: [domain as ToolDomain] })).toThrow(message);
    }
  });

  it('refuses an input schema that does not compile, naming the tool', () => {
    const broken = tool('broken', () => ({}));
    broken.definition.input_schema = { type: 'object', properties: { a: { type: 'nonsense' } } };
    expect(() => createToolRegistry({ domains: [domainOf('d', broken)] })).toThrow(
      /The input_schema of Tool 'broken' \(tool_broken\) of domain 'd' is not a usable JSON Schema/,
    );
  });

  it('refuses a nonsensical default deadline', () => {
    expect(() => createToolRegistry({ defaultTimeoutMs: 0 })).toThrow(RangeError);
  });
});
