// The three model roles in OpenAI mode: planner and tool-args answer with structured outputs
// (JSON Schema, strict where possible); chat streams its answer.
import type {
  ChatModel,
  ModelRoles,
  PlannedStep,
  PlannerModel,
  ToolArgsModel,
} from '../../models.js';
import { ModelError } from '../../models.js';
import type { OpenAIConfig } from './config.js';
import { createLlmClient, type LlmClient } from './llm-client.js';
import {
  CHAT_INSTRUCTIONS,
  chatPrompt,
  formatName,
  PLAN_FORMAT_NAME,
  PLAN_SCHEMA,
  plannerInstructions,
  plannerPrompt,
  toolArgsInstructions,
  toolArgsPrompt,
} from './prompts.js';
import { dropAddedNulls, toModelSchema } from './strict-schema.js';

/** Tool-args answers that fail validation get this many corrected attempts. */
export const OPENAI_REPAIR_ATTEMPTS = 1;

function parsePlan(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelError('planner.invalid_plan', 'the planner did not answer with JSON');
  }
  const steps = (parsed as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return steps;
  // Strict outputs carry nulls for fields that do not apply; the engine wants them absent.
  return steps.map((raw: unknown): unknown => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const { type, tool, intent } = raw as { type?: unknown; tool?: unknown; intent?: unknown };
    if (type === 'plan') {
      const step: PlannedStep = { type: 'plan' };
      if (typeof intent === 'string') step.note = intent;
      return step;
    }
    const step: Record<string, unknown> = { type, tool: tool ?? undefined };
    if (typeof intent === 'string') step.intent = intent;
    return step;
  });
}

function planner(llm: LlmClient, model: string): PlannerModel {
  return {
    model,
    async plan(input, ctx) {
      const instructions = plannerInstructions(await input.tools());
      const prompt = plannerPrompt(input);
      ctx.onPrompt?.({ model, prompt: `${instructions}\n\n${prompt}` });
      const answer = await llm.complete({
        model,
        instructions,
        input: prompt,
        format: { name: PLAN_FORMAT_NAME, schema: PLAN_SCHEMA, strict: true },
        signal: ctx.signal,
      });
      return { steps: parsePlan(answer.text), usage: answer.usage };
    },
  };
}

function toolArgs(llm: LlmClient, model: string): ToolArgsModel {
  return {
    model,
    repairAttempts: OPENAI_REPAIR_ATTEMPTS,
    async generate(input, ctx) {
      const instructions = toolArgsInstructions(input);
      const prompt = toolArgsPrompt(input);
      ctx.onPrompt?.({ model, prompt: `${instructions}\n\n${prompt}` });
      const { schema, strict } = toModelSchema(input.tool.input_schema);
      const answer = await llm.complete({
        model,
        instructions,
        input: prompt,
        format: { name: formatName('args', input.tool.name), schema, strict },
        signal: ctx.signal,
      });
      let args: unknown;
      try {
        args = JSON.parse(answer.text);
      } catch {
        // Not JSON: the engine's validation reports it and asks for a repair.
        args = answer.text;
      }
      return {
        args: strict ? dropAddedNulls(args, input.tool.input_schema) : args,
        usage: answer.usage,
      };
    },
  };
}

function chat(llm: LlmClient, model: string): ChatModel {
  return {
    model,
    async respond(input, ctx) {
      const prompt = chatPrompt(input);
      ctx.onPrompt?.({ model, prompt: `${CHAT_INSTRUCTIONS}\n\n${prompt}` });
      const answer = await llm.complete({
        model,
        instructions: CHAT_INSTRUCTIONS,
        input: prompt,
        // Streaming is requested even when nobody listens, so tokens reach replays the same way.
        onToken: ctx.onToken ?? (() => undefined),
        signal: ctx.signal,
      });
      return { text: answer.text, usage: answer.usage };
    },
  };
}

/** Model roles backed by the OpenAI API (or an OpenAI-compatible server). */
export function createOpenAIModels(config: OpenAIConfig): ModelRoles {
  const llm = createLlmClient(config);
  return {
    mode: 'openai',
    planner: planner(llm, config.models.planner),
    toolArgs: toolArgs(llm, config.models.toolArgs),
    chat: chat(llm, config.models.chat),
  };
}
