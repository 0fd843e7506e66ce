// A tool step: look the tool up, apply the run's policy, generate and validate its arguments
// (with repair attempts when the role grants them), invoke it and record the outcome. A tool's
// own failure is recorded on the step and the run goes on.
import type { ArpError, ToolDefinition, ValidationIssue } from '@arp-ts/sdk';
import { compileToolSchema, formatValidationIssues } from '@arp-ts/sdk';
import type { PlannedToolStep, StepRecord } from '../models.js';
import { codeOf, FlowFailure, messageOf } from './failure.js';
import { recordModelCall } from './model-calls.js';
import { isToolAllowed } from './policy.js';
import { getTool, invokeTool, type EngineInvocation } from './registry-calls.js';
import type { RunContext } from './run-context.js';
import { isPlainObject } from '../is-plain-object.js';

const NOT_AN_OBJECT: ValidationIssue[] = [
  { path: '$', message: 'must be object', keyword: 'type' },
];

function finish(ctx: RunContext, record: StepRecord, error?: ArpError): void {
  if (error) {
    record.ok = false;
    record.error = error;
  }
  ctx.stepCompleted(record);
}

async function generateArgs(
  ctx: RunContext,
  record: StepRecord,
  step: PlannedToolStep,
  tool: ToolDefinition,
): Promise<{ args: Record<string, unknown> } | { error: ArpError }> {
  // Compiled once per schema and cached by the SDK (by identity, then by text).
  const schema = compileToolSchema(tool.input_schema);
  if (!schema.ok) {
    return {
      error: {
        code: 'tool_registry.error',
        message: `the input_schema of tool ${tool.name} cannot be used: ${schema.message}`,
      },
    };
  }
  const role = ctx.models.toolArgs;
  const onPrompt = ctx.promptHook('tool_args');
  let repair: { previousArgs: unknown; issues: ValidationIssue[] } | undefined;
  for (let attempt = 0; ; attempt++) {
    const startedMs = ctx.trace ? ctx.clock.now() : 0;
    let answer;
    try {
      answer = await ctx.guard(
        role.generate(
          {
            goal: ctx.input.goal,
            context: ctx.input.context,
            data: ctx.input.data,
            tool,
            intent: step.intent,
            suggestedArgs: step.args,
            steps: ctx.steps,
            repair,
          },
          { signal: ctx.signal, onPrompt },
        ),
      );
    } catch (err) {
      if (err instanceof FlowFailure) throw err;
      ctx.checkStopped();
      return {
        error: {
          code: codeOf(err) === 'model.unavailable' ? 'model.unavailable' : 'model.error',
          message: `the tool-args model failed: ${messageOf(err)}`,
        },
      };
    }
    recordModelCall(ctx, 'tool_args', role.model, answer.usage, startedMs);
    const args = answer.args;
    if (ctx.trace) {
      ctx.emitTrace('tool_args_generated', 'info', {
        index: record.index,
        tool: tool.name,
        args,
        attempt,
      });
    }
    const checked = isPlainObject(args) ? schema.validate(args) : undefined;
    const issues = checked === undefined ? NOT_AN_OBJECT : checked.ok ? undefined : checked.errors;
    if (issues === undefined) return { args: args as Record<string, unknown> };
    if (ctx.trace) {
      ctx.emitTrace('tool_args_invalid', 'warn', {
        index: record.index,
        tool: tool.name,
        args,
        issues,
        attempt,
      });
    }
    if (attempt >= role.repairAttempts) {
      if (isPlainObject(args)) record.args = args;
      return {
        error: {
          code: 'tool.invalid_args',
          message: `invalid arguments for ${tool.name}: ${formatValidationIssues(issues)}`,
          details: { issues, attempts: attempt + 1 },
        },
      };
    }
    repair = { previousArgs: args, issues };
  }
}

export async function runToolStep(ctx: RunContext, step: PlannedToolStep): Promise<void> {
  const record: StepRecord = { index: ctx.steps.length, type: 'tool', tool: step.tool };
  ctx.steps.push(record);
  ctx.stepStarted(record);

  const tool = await getTool(ctx, step.tool);
  if (!tool) {
    finish(ctx, record, { code: 'tool.not_found', message: `there is no tool ${step.tool}` });
    return;
  }
  record.tool_id = tool.tool_id;
  if (!isToolAllowed(ctx.policy, tool)) {
    finish(ctx, record, {
      code: 'policy.tool_denied',
      message: `the run's tool_policy does not allow tool ${tool.name}`,
      details: { tool_id: tool.tool_id },
    });
    return;
  }

  const generated = await generateArgs(ctx, record, step, tool);
  if ('error' in generated) {
    finish(ctx, record, generated.error);
    return;
  }
  const args = generated.args;
  record.args = args;

  const invocationId = ctx.ids.invocationId();
  const request: EngineInvocation = {
    invocation_id: invocationId,
    tool_id: tool.tool_id,
    args,
  };
  if (ctx.events) {
    ctx.emitEvent('tool_call', {
      index: record.index,
      tool: tool.name,
      tool_id: tool.tool_id,
      args,
      invocation_id: invocationId,
    });
  }
  if (ctx.trace) {
    ctx.emitTrace('tool_invocation', 'info', {
      index: record.index,
      tool: tool.name,
      tool_id: tool.tool_id,
      invocation_id: invocationId,
      args,
    });
  }
  // Timing is only reported in events: skip the clock when nobody listens.
  const timed = ctx.events !== undefined || ctx.trace !== undefined;
  const startedMs = timed ? ctx.clock.now() : 0;
  ctx.toolCalls++;
  const outcome = await invokeTool(ctx, request);
  record.ok = outcome.ok;
  if (outcome.ok) {
    record.result = outcome.result ?? {};
  } else {
    record.error = outcome.error ?? {
      code: 'tool.execution_error',
      message: `tool ${tool.name} failed without saying why`,
    };
  }
  if (timed) {
    const data: Record<string, unknown> = {
      index: record.index,
      tool: tool.name,
      invocation_id: invocationId,
      ok: outcome.ok,
      duration_ms: outcome.duration_ms ?? Math.max(0, ctx.clock.now() - startedMs),
    };
    if (outcome.ok) data.result = record.result;
    else data.error = record.error;
    if (ctx.events) ctx.emitEvent('tool_result', data);
    if (ctx.trace) ctx.emitTrace('tool_result', outcome.ok ? 'info' : 'warn', data);
  }
  ctx.stepCompleted(record);
}
