// Structured outputs in strict mode accept a subset of JSON Schema: every object lists all its
// properties as required and forbids others. A tool's input_schema is converted to that form
// (optional properties become required-but-nullable) when it can be; the nulls the model then
// writes for optional properties are removed again before validation. Schemas that cannot be
// converted are sent with strict: false.
import { isPlainObject } from '../../is-plain-object.js';

type Schema = Record<string, unknown>;

/** Keywords strict mode rejects or that mean nothing to the model. */
const DROPPED = new Set(['$schema', '$id', 'default', 'examples', '$comment']);
/** Keywords strict mode cannot express; a schema using them is sent non-strict. */
const UNSUPPORTED = new Set([
  'patternProperties',
  'propertyNames',
  'dependentSchemas',
  'dependentRequired',
  'if',
  'then',
  'else',
  'not',
  'allOf',
  'oneOf',
  'unevaluatedProperties',
  'unevaluatedItems',
  '$ref',
  '$defs',
  'definitions',
]);

function nullable(schema: Schema): Schema {
  const type = schema.type;
  if (typeof type === 'string')
    return type === 'null' ? schema : { ...schema, type: [type, 'null'] };
  if (Array.isArray(type))
    return type.includes('null') ? schema : { ...schema, type: [...type, 'null'] };
  return { anyOf: [schema, { type: 'null' }] };
}

function convert(node: unknown, depth: number): Schema | undefined {
  if (!isPlainObject(node) || depth > 10) return undefined;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (UNSUPPORTED.has(key)) return undefined;
    if (!DROPPED.has(key)) out[key] = value;
  }
  if (node.type === 'object' || isPlainObject(node.properties)) {
    const extra = node.additionalProperties;
    if (extra !== undefined && extra !== false) return undefined;
    const properties = isPlainObject(node.properties) ? node.properties : {};
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    const converted: Schema = {};
    for (const [name, child] of Object.entries(properties)) {
      const strictChild = convert(child, depth + 1);
      if (!strictChild) return undefined;
      converted[name] = required.has(name) ? strictChild : nullable(strictChild);
    }
    out.type = 'object';
    out.properties = converted;
    out.required = Object.keys(converted);
    out.additionalProperties = false;
  }
  if (node.items !== undefined) {
    const items = convert(node.items, depth + 1);
    if (!items) return undefined;
    out.items = items;
  }
  if (Array.isArray(node.anyOf)) {
    const options: Schema[] = [];
    for (const option of node.anyOf) {
      const converted = convert(option, depth + 1);
      if (!converted) return undefined;
      options.push(converted);
    }
    out.anyOf = options;
  }
  return out;
}

export interface ModelSchema {
  schema: Schema;
  strict: boolean;
}

/** The schema to send for a tool's arguments, strict when the input_schema allows it. */
export function toModelSchema(inputSchema: Schema): ModelSchema {
  const isRootObject = inputSchema.type === 'object' || isPlainObject(inputSchema.properties);
  const strict = isRootObject ? convert(inputSchema, 0) : undefined;
  if (strict) return { schema: strict, strict: true };
  const loose: Schema = {};
  for (const [key, value] of Object.entries(inputSchema)) if (!DROPPED.has(key)) loose[key] = value;
  return { schema: loose, strict: false };
}

/** Removes the nulls a strict answer carries for properties the input_schema left optional. */
export function dropAddedNulls(value: unknown, inputSchema: unknown): unknown {
  if (!isPlainObject(value) || !isPlainObject(inputSchema)) return value;
  const properties = inputSchema.properties;
  if (!isPlainObject(properties)) return value;
  const required = new Set(Array.isArray(inputSchema.required) ? inputSchema.required : []);
  const out: Schema = {};
  for (const [name, child] of Object.entries(value)) {
    if (child === null && !required.has(name)) continue;
    out[name] = dropAddedNulls(child, properties[name]);
  }
  return out;
}
