import { describe, expect, it } from 'vitest';
import { compileToolSchema } from '@arp-ts/sdk';

const calcSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['expression'],
  properties: { expression: { type: 'string', example: '1+2' } },
};

describe('compileToolSchema', () => {
  it('validates arguments and reports readable issues', () => {
    const compiled = compileToolSchema(calcSchema);
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.validate({ expression: '1+2' }).ok).toBe(true);
    expect(compiled.validate({ expression: 3 })).toEqual({
      ok: false,
      errors: [{ path: '$.expression', message: 'must be string', keyword: 'type' }],
    });
  });

  it('accepts keywords that strict mode refuses (example, vendor extensions, union types)', () => {
    const compiled = compileToolSchema({
      type: 'object',
      'x-vendor': true,
      properties: { tz: { type: ['string', 'null'], example: 'UTC' } },
    });
    expect(compiled.ok).toBe(true);
  });

  it('compiles draft-07 schemas with $schema and $id, twice without an id clash', () => {
    const schema = () => ({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://example.com/tool.json',
      type: 'object',
      properties: { n: { type: 'integer' } },
    });
    const a = compileToolSchema(schema());
    const b = compileToolSchema({ ...schema(), required: ['n'] });
    expect(a.ok && b.ok).toBe(true);
    if (b.ok) expect(b.validate({}).ok).toBe(false);
  });

  it('reuses the compilation for the same object and for an equal copy', () => {
    const first = compileToolSchema(calcSchema);
    expect(compileToolSchema(calcSchema)).toBe(first);
    expect(compileToolSchema(structuredClone(calcSchema))).toBe(first);
  });

  it('compiles again when a tool schema changes', () => {
    const changed = { ...calcSchema, properties: { expression: { type: 'number' } } };
    const compiled = compileToolSchema(changed);
    expect(compiled).not.toBe(compileToolSchema(calcSchema));
    expect(compiled.ok && compiled.validate({ expression: 2 }).ok).toBe(true);
  });

  it('reports schemas that cannot be compiled instead of throwing', () => {
    expect(
      compileToolSchema({ type: 'object', properties: { a: { type: 'no-such-type' } } }).ok,
    ).toBe(false);
    expect(compileToolSchema('not a schema')).toEqual({
      ok: false,
      message: 'a tool schema must be a JSON object',
    });
  });
});
