// Shared helpers of the vector tests: list JSON files, and validate against the SDK's schemas.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { createAjv, schemas } from '@arp-ts/sdk';

/** Every `.json` file under `dir`, as paths relative to it with `/` separators, sorted. */
export function listJsonFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listJsonFiles(path.join(dir, entry.name), rel));
    else if (entry.name.endsWith('.json')) files.push(rel);
  }
  return files.sort();
}

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export type SchemaKey = keyof typeof schemas;

export function isSchemaKey(key: string): key is SchemaKey {
  return Object.prototype.hasOwnProperty.call(schemas, key);
}

const ajv = createAjv();
for (const doc of Object.values(schemas)) ajv.addSchema(doc as object);

/** Validates `value` against one of the SDK's schemas; answers ajv's errors (empty when valid). */
export function schemaErrors(key: SchemaKey, value: unknown): ErrorObject[] {
  const validate = ajv.getSchema((schemas[key] as { $id: string }).$id);
  if (!validate) throw new Error(`schema ${key} is not registered`);
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

export const repoRoot = path.resolve(import.meta.dirname, '../../../..');
