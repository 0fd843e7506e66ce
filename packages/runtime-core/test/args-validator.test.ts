// The cache of compiled input_schema validators.
import type { ToolDefinition } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { argsValidatorFor } from '../src/flow/args-validator.js';

function tool(toolId: string, inputSchema: Record<string, unknown>): ToolDefinition {
  return { tool_id: toolId, name: toolId, input_schema: inputSchema, source: 'remote' };
}

const schema = {
  type: 'object',
  required: ['n'],
  properties: { n: { type: 'integer' } },
  additionalProperties: false,
};

describe('argsValidatorFor', () => {
  it('reuses one validator for the same schema object and for an equal copy', () => {
    const a = argsValidatorFor(tool('t_cache', schema));
    expect(argsValidatorFor(tool('t_cache', schema))).toBe(a);
    expect(argsValidatorFor(tool('t_cache', structuredClone(schema)))).toBe(a);
  });

  it('compiles again when the schema of a tool changes', () => {
    const first = argsValidatorFor(tool('t_change', schema));
    const changed = { ...schema, properties: { n: { type: 'string' } } };
    const second = argsValidatorFor(tool('t_change', changed));
    expect(second).not.toBe(first);
    if (!('check' in second)) throw new Error('expected a validator');
    expect(second.check({ n: 'x' })).toBeUndefined();
    expect(second.check({ n: 1 })).toEqual([
      { path: '$.n', message: 'must be string', keyword: 'type' },
    ]);
  });

  it('accepts draft-07 style schemas with $schema and $id, and vendor keywords', () => {
    const v = argsValidatorFor(
      tool('t_draft7', {
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'https://example.test/t.json',
        'x-vendor': true,
        type: 'object',
        properties: { s: { type: 'string', format: 'made-up' } },
      }),
    );
    if (!('check' in v)) throw new Error(v.compileError);
    expect(v.check({ s: 'ok' })).toBeUndefined();
    expect(v.check({ s: 1 })).toHaveLength(1);
  });

  it('reports a schema that cannot be compiled', () => {
    const v = argsValidatorFor(
      tool('t_broken', { type: 'object', properties: { a: { type: 'nope' } } }),
    );
    expect('compileError' in v).toBe(true);
  });
});
