// Makes tool arguments from a tool's input_schema: a valid example to invoke the tool with, and
// invalid variants to check that the registry refuses them. Handles the JSON Schema a tool
// definition usually carries (objects, strings, numbers, integers, booleans, enums, consts,
// nullable unions, arrays, local $refs, anyOf/oneOf/allOf); it never needs to be complete,
// because every candidate is checked against the schema with ajv when the schema compiles.
import { compileToolSchema, type Validator } from '@arp-ts/sdk';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

/** Arguments known to work with the tools of the ARP reference `core` domain. */
const KNOWN_GOOD_ARGS: Record<string, Record<string, unknown>> = {
  echo: { text: 'arp-conformance' },
  calc: { expression: '1+2' },
  time_now: { tz: 'UTC' },
};

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isSchema(node) ? node[key] : undefined;
  }
  return isSchema(node) ? node : schema;
}

function schemaTypes(schema: Schema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  if (isSchema(schema.properties) || Array.isArray(schema.required)) return ['object'];
  if (isSchema(schema.items)) return ['array'];
  return [];
}

function exampleString(schema: Schema): string {
  switch (schema.format) {
    case 'date-time':
      return new Date(0).toISOString();
    case 'date':
      return '1970-01-01';
    case 'time':
      return '00:00:00Z';
    case 'email':
      return 'conformance@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    default:
      break;
  }
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  let text = 'arp-conformance';
  while (text.length < minLength) text += 'x';
  return text.slice(0, Math.max(minLength, Math.min(text.length, maxLength)));
}

function exampleNumber(schema: Schema, integer: boolean): number {
  const min =
    typeof schema.minimum === 'number'
      ? schema.minimum
      : typeof schema.exclusiveMinimum === 'number'
        ? schema.exclusiveMinimum + (integer ? 1 : 0.5)
        : undefined;
  const max =
    typeof schema.maximum === 'number'
      ? schema.maximum
      : typeof schema.exclusiveMaximum === 'number'
        ? schema.exclusiveMaximum - (integer ? 1 : 0.5)
        : undefined;
  let value = min ?? (max !== undefined ? Math.min(1, max) : 1);
  if (integer) value = Math.ceil(value);
  const step =
    typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : 0;
  if (step) value = Math.ceil(value / step) * step;
  return value;
}

/** A value that satisfies `schema` as far as the generator understands it. */
export function exampleValue(schemaIn: unknown, root: Schema = {}, depth = 0): unknown {
  if (!isSchema(schemaIn) || depth > MAX_DEPTH) return null;
  const schema = resolveRef(schemaIn, root);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum.find((v) => v !== null) ?? schema.enum[0];
  }
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const nonNull = options.find((o) => !(isSchema(o) && o.type === 'null'));
      return exampleValue(nonNull ?? options[0], root, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged: Schema = {};
    for (const part of schema.allOf) if (isSchema(part)) Object.assign(merged, part);
    return exampleValue(merged, root, depth + 1);
  }
  const types = schemaTypes(schema);
  // Nullable unions such as ["string", "null"]: prefer the real type, it exercises the tool.
  const type = types.find((t) => t !== 'null') ?? types[0];
  switch (type) {
    case 'object':
      return exampleObject(schema, root, depth);
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items: unknown[] = [];
      for (let i = 0; i < Math.min(minItems, 16); i++) {
        items.push(exampleValue(schema.items, root, depth + 1));
      }
      return items;
    }
    case 'string':
      return exampleString(schema);
    case 'integer':
      return exampleNumber(schema, true);
    case 'number':
      return exampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'arp-conformance';
  }
}

function exampleObject(schema: Schema, root: Schema, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required)
    ? schema.required.filter((r): r is string => typeof r === 'string')
    : [];
  const out: Record<string, unknown> = {};
  for (const name of required) out[name] = exampleValue(properties[name], root, depth + 1);
  return out;
}

/** Compiles a tool's input_schema (leniently, cached, by the SDK); undefined when it cannot. */
export function compileInputSchema(schema: unknown): Validator<unknown> | undefined {
  const compiled = compileToolSchema(schema);
  return compiled.ok ? compiled.validate : undefined;
}

export interface GeneratedArgs {
  args: Record<string, unknown>;
  /** `known` when taken from the examples of the reference core tools. */
  source: 'known' | 'generated';
  /** true/false when checked against the compiled schema, undefined when it did not compile. */
  validAgainstSchema: boolean | undefined;
}

/** Valid arguments for a tool: a known example for the core tools, otherwise generated. */
export function generateArgs(toolName: string, inputSchema: unknown): GeneratedArgs {
  const validate = compileInputSchema(inputSchema);
  const known = KNOWN_GOOD_ARGS[toolName];
  if (known && (!validate || validate(known).ok)) {
    return { args: { ...known }, source: 'known', validAgainstSchema: validate ? true : undefined };
  }
  const root = isSchema(inputSchema) ? inputSchema : {};
  const value = exampleValue(root, root);
  const args = isSchema(value) ? value : {};
  return {
    args,
    source: 'generated',
    validAgainstSchema: validate ? validate(args).ok : undefined,
  };
}

function wrongTypeValue(propertySchema: unknown, root: Schema): unknown {
  const schema = isSchema(propertySchema) ? resolveRef(propertySchema, root) : {};
  const types = schemaTypes(schema);
  if (types.includes('string')) return 12345;
  if (types.includes('number') || types.includes('integer')) return 'not-a-number';
  if (types.includes('boolean')) return 'not-a-boolean';
  if (types.includes('object') || types.includes('array')) return 'not-a-container';
  if (Array.isArray(schema.enum)) return '__arp_conformance_not_in_enum__';
  return undefined;
}

export interface InvalidArgs {
  args: Record<string, unknown>;
  /** What rule the arguments break. */
  reason: string;
  /** True when ajv confirmed them invalid; false when only the heuristics say so. */
  confirmed: boolean;
}

/**
 * Arguments that break the tool's input_schema, or undefined when none can be found (a schema
 * that accepts anything). Candidates: a required property missing, a property of the wrong type,
 * an unexpected property under `additionalProperties: false`.
 */
export function generateInvalidArgs(
  toolName: string,
  inputSchema: unknown,
): InvalidArgs | undefined {
  if (!isSchema(inputSchema)) return undefined;
  const validate = compileInputSchema(inputSchema);
  const valid = generateArgs(toolName, inputSchema).args;
  const properties = isSchema(inputSchema.properties) ? inputSchema.properties : {};
  const required = Array.isArray(inputSchema.required)
    ? inputSchema.required.filter((r): r is string => typeof r === 'string')
    : [];
  const candidates: Array<Omit<InvalidArgs, 'confirmed'>> = [];
  if (required.length > 0) {
    candidates.push({ args: {}, reason: `required property "${required[0]}" missing` });
  }
  for (const [name, propertySchema] of Object.entries(properties)) {
    const wrong = wrongTypeValue(propertySchema, inputSchema);
    if (wrong !== undefined) {
      candidates.push({ args: { ...valid, [name]: wrong }, reason: `"${name}" of the wrong type` });
    }
  }
  if (inputSchema.additionalProperties === false) {
    candidates.push({
      args: { ...valid, arp_conformance_unexpected: true },
      reason: 'an unexpected property under additionalProperties: false',
    });
  }
  if (validate) {
    const found = candidates.find((c) => !validate(c.args).ok);
    return found ? { ...found, confirmed: true } : undefined;
  }
  const first = candidates[0];
  return first ? { ...first, confirmed: false } : undefined;
}
