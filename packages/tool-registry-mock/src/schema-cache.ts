import { createAjv } from '@arp-ts/sdk';

type Ajv = ReturnType<typeof createAjv>;
export type CompiledSchema = ReturnType<Ajv['compile']>;

// Compiling a schema generates code and takes milliseconds; tests and servers build many
// registries from the same domains, so compiled validators are shared by schema text.
const MAX_CACHED = 1_000;
const cache = new Map<string, CompiledSchema>();
let shared: Ajv | undefined;

/** Compiles a tool's JSON Schema (ajv 2020-12, strict), reusing an earlier compilation. */
export function compileToolSchema(schema: Record<string, unknown>): CompiledSchema {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  if (cache.size >= MAX_CACHED) {
    cache.clear();
    shared = undefined; // let the old instance and its compiled schemas go
  }
  // A schema with an $id registers it in its ajv instance, and a second schema with the same id
  // would clash: those get an instance of their own.
  const ajv = key.includes('"$id"') ? createAjv() : (shared ??= createAjv());
  const compiled = ajv.compile(schema);
  cache.set(key, compiled);
  return compiled;
}
