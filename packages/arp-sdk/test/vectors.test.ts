// Our golden vectors: specs/vectors/{valid,invalid}/<schema path without .schema.json>/<case>.json.
// Valid ones must pass their schema; each invalid one breaks exactly the rule its name starts
// with, and must fail for that reason.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemas } from '@arp-ts/sdk';
import {
  isSchemaKey,
  listJsonFiles,
  readJson,
  repoRoot,
  schemaErrors,
} from './support/vector-files.js';

const vectorsDir = path.join(repoRoot, 'specs/vectors');

/** Rule named at the start of an invalid vector's file name -> the JSON Schema keyword it breaks. */
const RULES: [prefix: string, keyword: string][] = [
  ['missing-', 'required'],
  ['wrong-enum-', 'enum'],
  ['wrong-type-', 'type'],
  ['extra-property', 'additionalProperties'],
  ['invalid-format-', 'format'],
  ['below-minimum-', 'minimum'],
  ['above-maximum-', 'maximum'],
  ['too-few-items-', 'minItems'],
];

interface Vector {
  file: string;
  schema: string;
  caseName: string;
}

function vectorsOf(kind: 'valid' | 'invalid'): Vector[] {
  return listJsonFiles(path.join(vectorsDir, kind)).map((file) => ({
    file: `${kind}/${file}`,
    schema: `${path.posix.dirname(file)}.schema.json`,
    caseName: path.posix.basename(file, '.json'),
  }));
}

const valid = vectorsOf('valid');
const invalid = vectorsOf('invalid');

describe('golden vectors', () => {
  it('exist', () => {
    expect(valid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
  });

  it('cover every schema with at least one valid and one invalid case', () => {
    const missing: string[] = [];
    for (const key of Object.keys(schemas)) {
      if (!valid.some((v) => v.schema === key)) missing.push(`valid/${key}`);
      if (!invalid.some((v) => v.schema === key)) missing.push(`invalid/${key}`);
    }
    expect(missing).toEqual([]);
  });

  describe.each(valid)('$file', ({ file, schema }) => {
    it(`is valid against ${schema}`, () => {
      expect(isSchemaKey(schema), `no schema ${schema} for ${file}`).toBe(true);
      if (!isSchemaKey(schema)) return;
      expect(schemaErrors(schema, readJson(path.join(vectorsDir, file)))).toEqual([]);
    });
  });

  describe.each(invalid)('$file', ({ file, schema, caseName }) => {
    it(`is invalid against ${schema} for the rule its name gives`, () => {
      expect(isSchemaKey(schema), `no schema ${schema} for ${file}`).toBe(true);
      if (!isSchemaKey(schema)) return;
      const rule = RULES.find(([prefix]) => caseName.startsWith(prefix));
      expect(
        rule,
        `${file} does not start with a known rule (${RULES.map((r) => r[0]).join(', ')})`,
      ).toBeDefined();
      const errors = schemaErrors(schema, readJson(path.join(vectorsDir, file)));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.map((e) => e.keyword)).toContain(rule?.[1]);
    });
  });
});
