// Compiles tools' JSON Schemas (input_schema, output_schema). These come from third parties, so
// unlike the SDK's own payload validators they are compiled leniently: unknown keywords such as
// `example` or vendor extensions are ignored instead of refused. Compilations are cached so a
// runtime never compiles the same schema twice.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { addFormats, fromAjvFunction, type Validator } from './validation.js';

export type ToolSchemaCompilation =
  { ok: true; validate: Validator<Record<string, unknown>> } | { ok: false; message: string };

/** Distinct schema texts kept; past this the cache (and the ajv instance holding them) restarts. */
const MAX_CACHED_SCHEMAS = 1024;

let ajv: Ajv2020 | undefined;
const byIdentity = new WeakMap<object, ToolSchemaCompilation>();
const byText = new Map<string, ToolSchemaCompilation>();

function lenientAjv(): Ajv2020 {
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: true, strict: false, logger: false });
    addFormats(ajv);
  }
  return ajv;
}

function compile(schema: Record<string, unknown>): ToolSchemaCompilation {
  // `$id` would register the schema in the shared instance and clash with the next version of the
  // same tool; `$schema` naming another draft (often draft-07) would be refused although such
  // schemas validate the same under 2020-12 in practice.
  let body = schema;
  if ('$id' in schema || '$schema' in schema) {
    const { $id: _id, $schema: _schema, ...rest } = schema;
    body = rest;
  }
  try {
    return {
      ok: true,
      validate: fromAjvFunction<Record<string, unknown>>(lenientAjv().compile(body)),
    };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Compiles a tool's JSON Schema once: cached by object identity (an in-process registry hands out
 * the same object) and by JSON text (an HTTP registry hands out equal copies).
 */
export function compileToolSchema(schema: unknown): ToolSchemaCompilation {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return { ok: false, message: 'a tool schema must be a JSON object' };
  }
  const known = byIdentity.get(schema);
  if (known) return known;
  const text = JSON.stringify(schema);
  let compiled = byText.get(text);
  if (!compiled) {
    if (byText.size >= MAX_CACHED_SCHEMAS) {
      byText.clear();
      ajv = undefined; // ajv keeps every compiled schema; let the old instance go with them
    }
    compiled = compile(schema as Record<string, unknown>);
    byText.set(text, compiled);
  }
  byIdentity.set(schema, compiled);
  return compiled;
}
