// Validators compiled from the schemas of specs/ (embedded at generation time). Each payload
// validator is compiled once, on first use, and shared.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { schemaDocuments } from './generated/schemas.js';
import type {
  ArpError,
  ErrorEnvelope,
  Health,
  ResourceRef,
  RunEvent,
  RunList,
  RunRequest,
  RunResult,
  RunStatus,
  ToolDefinition,
  ToolInvocationRequest,
  ToolInvocationResult,
  TraceEvent,
  VersionInfo,
  Metadata,
  Extensions,
} from './types.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
/** ajv-formats' plugin, unwrapped from its CommonJS default export. */
export const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsModule as unknown as FormatsPlugin);

export type SchemaName = keyof typeof schemaDocuments;

/** One problem found by a validator; `path` is a readable JSON path such as `$.input.goal`. */
export interface ValidationIssue {
  path: string;
  message: string;
  keyword: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationIssue[] };

export type Validator<T> = (value: unknown) => ValidationResult<T>;

/** At most this many issues are reported, so hostile input cannot grow an answer without bound. */
export const MAX_VALIDATION_ISSUES = 20;

/** The JSON Schemas of specs/, keyed by path (e.g. `runtime/run_request.schema.json`). */
export const schemas = schemaDocuments;

/** Creates an ajv instance configured like the SDK's own (2020-12, formats, all errors). */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  return ajv;
}

let shared: Ajv2020 | undefined;

function sharedAjv(): Ajv2020 {
  if (!shared) {
    shared = createAjv();
    for (const doc of Object.values(schemaDocuments)) shared.addSchema(doc as object);
  }
  return shared;
}

function pointerToPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) =>
        /^\d+$/.test(seg)
          ? `[${seg}]`
          : /^[A-Za-z_$][\w$]*$/.test(seg)
            ? `.${seg}`
            : `[${JSON.stringify(seg)}]`,
      )
      .join('')
  );
}

/** Turns ajv's errors into readable issues (at most MAX_VALIDATION_ISSUES). */
export function toValidationIssues(
  errors: readonly ErrorObject[] | null | undefined,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const err of errors ?? []) {
    if (issues.length >= MAX_VALIDATION_ISSUES) break;
    const base = pointerToPath(err.instancePath);
    const params = err.params as Record<string, unknown>;
    if (err.keyword === 'required') {
      const prop = String(params.missingProperty);
      issues.push({
        path: pointerToPath(`${err.instancePath}/${prop}`),
        message: 'is required',
        keyword: 'required',
      });
    } else if (err.keyword === 'additionalProperties') {
      const prop = String(params.additionalProperty);
      issues.push({
        path: pointerToPath(`${err.instancePath}/${prop}`),
        message: 'is not an allowed property',
        keyword: err.keyword,
      });
    } else if (err.keyword === 'enum') {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      issues.push({ path: base, message: `must be one of ${allowed}`, keyword: err.keyword });
    } else {
      issues.push({ path: base, message: err.message ?? 'is invalid', keyword: err.keyword });
    }
  }
  return issues;
}

/** Formats issues as one line each: `$.input.goal is required`. */
export function formatValidationIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.path} ${i.message}`).join('; ');
}

/** Wraps a compiled ajv function into the SDK's result-returning validator shape. */
export function fromAjvFunction<T>(fn: ValidateFunction): Validator<T> {
  return (value) =>
    fn(value)
      ? { ok: true, value: value as T }
      : { ok: false, errors: toValidationIssues(fn.errors) };
}

/** A validator for one schema of specs/, compiled lazily once. */
export function validatorFor<T>(name: SchemaName): Validator<T> {
  let compiled: Validator<T> | undefined;
  return (value) => {
    if (!compiled) {
      const id = (schemaDocuments[name] as { $id: string }).$id;
      const fn = sharedAjv().getSchema(id);
      if (!fn) throw new Error(`schema ${name} is not registered`);
      compiled = fromAjvFunction<T>(fn);
    }
    return compiled(value);
  };
}

export const validateHealth = validatorFor<Health>('common/health.schema.json');
export const validateVersionInfo = validatorFor<VersionInfo>('common/version_info.schema.json');
export const validateErrorEnvelope = validatorFor<ErrorEnvelope>('common/error.schema.json');
export const validateError = validatorFor<ArpError>('common/error_detail.schema.json');
export const validateMetadata = validatorFor<Metadata>('common/metadata.schema.json');
export const validateExtensions = validatorFor<Extensions>('common/extensions.schema.json');
export const validateResourceRef = validatorFor<ResourceRef>('common/resource_ref.schema.json');
export const validateRunRequest = validatorFor<RunRequest>('runtime/run_request.schema.json');
export const validateRunStatus = validatorFor<RunStatus>('runtime/run_status.schema.json');
export const validateRunResult = validatorFor<RunResult>('runtime/run_result.schema.json');
export const validateRunEvent = validatorFor<RunEvent>('runtime/run_event.schema.json');
export const validateRunList = validatorFor<RunList>('runtime/run_list.schema.json');
export const validateToolDefinition = validatorFor<ToolDefinition>(
  'tool_registry/tool_definition.schema.json',
);
export const validateToolInvocationRequest = validatorFor<ToolInvocationRequest>(
  'tool_registry/tool_invocation_request.schema.json',
);
export const validateToolInvocationResult = validatorFor<ToolInvocationResult>(
  'tool_registry/tool_invocation_result.schema.json',
);
export const validateTraceEvent = validatorFor<TraceEvent>('trace/trace_event.schema.json');
