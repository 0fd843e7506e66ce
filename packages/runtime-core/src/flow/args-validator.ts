// Compiled validators for tools' input_schema, cached so a run never compiles a schema it has
// seen: first by the schema object's identity (the in-process registry hands out the same
// object), then by tool_id plus the schema's JSON text (an HTTP registry hands out copies).
import { createAjv, toValidationIssues, type ValidationIssue } from '@arp-ts/sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ToolDefinition } from '@arp-ts/sdk';

export type ArgsCheck = (args: unknown) => ValidationIssue[] | undefined;

export type ArgsValidator = { check: ArgsCheck } | { compileError: string };

const MAX_CACHED_TOOLS = 1024;

type Compiler = { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } };

let strictAjv: Compiler | undefined;
let lenientAjv: Ajv2020 | undefined;

function strictCompiler(): Compiler {
  strictAjv ??= createAjv() as unknown as Compiler;
  return strictAjv;
}

/** For schemas with keywords strict mode rejects (vendor extensions and the like). */
function lenientCompiler(): Ajv2020 {
  lenientAjv ??= new Ajv2020({
    allErrors: true,
    strict: false,
    validateFormats: false,
    logger: false,
  });
  return lenientAjv;
}

const byIdentity = new WeakMap<object, ArgsValidator>();
const byToolId = new Map<string, { text: string; validator: ArgsValidator }>();

function compile(schema: Record<string, unknown>): ArgsValidator {
  // A $id would register the schema globally in ajv and clash with the next version of the
  // tool; a $schema naming another draft (often draft-07) would make ajv refuse it, although
  // such schemas validate the same under 2020-12 in practice.
  let body: Record<string, unknown> = schema;
  if ('$id' in schema || '$schema' in schema) {
    body = { ...schema };
    delete body.$id;
    delete body.$schema;
  }
  let fn: ((data: unknown) => boolean) & { errors?: unknown };
  try {
    fn = strictCompiler().compile(body);
  } catch {
    try {
      fn = lenientCompiler().compile(body);
    } catch (err) {
      return { compileError: err instanceof Error ? err.message : String(err) };
    }
  }
  return {
    check: (args) =>
      fn(args)
        ? undefined
        : toValidationIssues(fn.errors as Parameters<typeof toValidationIssues>[0]),
  };
}

export function argsValidatorFor(tool: ToolDefinition): ArgsValidator {
  const schema = tool.input_schema;
  const cached = byIdentity.get(schema);
  if (cached) return cached;
  const text = JSON.stringify(schema);
  const known = byToolId.get(tool.tool_id);
  if (known && known.text === text) {
    byIdentity.set(schema, known.validator);
    return known.validator;
  }
  const validator = compile(schema);
  if (known) byToolId.delete(tool.tool_id);
  else if (byToolId.size >= MAX_CACHED_TOOLS) {
    const oldest = byToolId.keys().next();
    if (!oldest.done) byToolId.delete(oldest.value);
  }
  byToolId.set(tool.tool_id, { text, validator });
  byIdentity.set(schema, validator);
  return validator;
}
