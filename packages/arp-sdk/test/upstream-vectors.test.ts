// Runs the ARP Standard v1's own conformance vectors (and examples) against OUR schemas: what
// the standard calls valid must pass, what it calls invalid must fail. Each upstream file holds
// one JSON document. The standard's folder sits beside the repository (../shared) or wherever
// ARP_STANDARD_DIR says; without it these checks do not exist and one line says so.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSchemaKey, listJsonFiles, readJson, schemaErrors } from './support/vector-files.js';
import { schemaKeyForUpstream, upstreamStandardDir } from './support/upstream.js';

const standardDir = upstreamStandardDir();
const groups = [
  { folder: 'conformance/json_vectors', expectValid: true },
  { folder: 'conformance/json_vectors_invalid', expectValid: false },
  { folder: 'examples', expectValid: true },
] as const;
const present = existsSync(path.join(standardDir, 'conformance/json_vectors'));

if (!present) {
  console.log(
    `upstream ARP Standard vectors not found at ${standardDir}: skipping upstream vector checks`,
  );
}

describe('upstream path mapping', () => {
  it('flattens the nested runtime and tool registry folders', () => {
    expect(schemaKeyForUpstream('runtime/runs/run_request.json')).toBe(
      'runtime/run_request.schema.json',
    );
    expect(schemaKeyForUpstream('tool_registry/tools/tool_definition.json')).toBe(
      'tool_registry/tool_definition.schema.json',
    );
    expect(schemaKeyForUpstream('common/error.json')).toBe('common/error.schema.json');
    expect(schemaKeyForUpstream('trace/trace_index.json')).toBe('trace/trace_index.schema.json');
  });

  it('leaves out the areas we do not implement', () => {
    expect(schemaKeyForUpstream('daemon/runs/run_request.json')).toBeUndefined();
    expect(schemaKeyForUpstream('memory/x.json')).toBeUndefined();
    expect(schemaKeyForUpstream('README.md')).toBeUndefined();
  });
});

if (present) {
  describe.each(groups)('ARP Standard $folder', ({ folder, expectValid }) => {
    const dir = path.join(standardDir, folder);
    const files = existsSync(dir)
      ? listJsonFiles(dir).filter((file) => schemaKeyForUpstream(file) !== undefined)
      : [];

    it('has vectors for our areas', () => {
      expect(files.length).toBeGreaterThan(0);
    });

    describe.each(files)('%s', (file) => {
      const key = schemaKeyForUpstream(file) ?? '';
      it(`is ${expectValid ? 'valid' : 'invalid'} against our ${key}`, () => {
        expect(isSchemaKey(key), `no schema of ours matches ${folder}/${file}`).toBe(true);
        if (!isSchemaKey(key)) return;
        const errors = schemaErrors(key, readJson(path.join(dir, file)));
        if (expectValid) expect(errors).toEqual([]);
        else expect(errors.length).toBeGreaterThan(0);
      });
    });
  });
}
