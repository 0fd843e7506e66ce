// The stub tool-args generator: takes the planner's args as they are, or puts the step's intent
// into the tool's main string argument (the first required string property, else the first
// string property of its input_schema).
import type { ModelCallContext, ToolArgsAnswer, ToolArgsInput, ToolArgsModel } from '../models.js';
import { STUB_MODEL } from './planner.js';
import { stubUsage } from './tokens.js';
import { isPlainObject } from '../is-plain-object.js';

interface ArgsShape {
  /** The property the intent goes into; null when the schema has no string property. */
  main: string | null;
  /** Required properties that accept null: set to null when the intent does not fill them. */
  nullable: string[];
}

/** Cached per schema object. */
const shapeCache = new WeakMap<object, ArgsShape>();

function accepts(property: unknown, type: string): boolean {
  if (!isPlainObject(property)) return false;
  const declared = property.type;
  return declared === type || (Array.isArray(declared) && declared.includes(type));
}

function findShape(schema: Record<string, unknown>): ArgsShape {
  const properties = schema.properties;
  if (!isPlainObject(properties)) return { main: null, nullable: [] };
  const required = (Array.isArray(schema.required) ? schema.required : []).filter(
    (name): name is string => typeof name === 'string',
  );
  const main =
    required.find((name) => accepts(properties[name], 'string')) ??
    Object.keys(properties).find((name) => accepts(properties[name], 'string')) ??
    null;
  const nullable = required.filter((name) => accepts(properties[name], 'null'));
  return { main, nullable };
}

function shapeOf(schema: Record<string, unknown>): ArgsShape {
  let shape = shapeCache.get(schema);
  if (shape === undefined) {
    shape = findShape(schema);
    shapeCache.set(schema, shape);
  }
  return shape;
}

export function createStubToolArgs(): ToolArgsModel {
  return {
    model: STUB_MODEL,
    repairAttempts: 0,
    generate(input: ToolArgsInput, ctx: ModelCallContext): Promise<ToolArgsAnswer> {
      const intent = input.intent ?? '';
      ctx.onPrompt?.({ model: STUB_MODEL, prompt: `${input.tool.name}: ${intent}` });
      let args: Record<string, unknown>;
      if (input.suggestedArgs) args = input.suggestedArgs;
      else {
        const shape = shapeOf(input.tool.input_schema);
        args = {};
        if (intent !== '' && shape.main !== null) args[shape.main] = intent;
        for (const name of shape.nullable) if (!(name in args)) args[name] = null;
      }
      return Promise.resolve({ args, usage: stubUsage(intent.length, intent.length) });
    },
  };
}
