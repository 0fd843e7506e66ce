import { createAjv } from '@arp-ts/sdk';
import { describe, expect, it } from 'vitest';
import { exampleValue, generateArgs, generateInvalidArgs } from '../src/schema-args.js';

const lookupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'limit', 'ratio', 'mode', 'tags', 'note', 'flag', 'when', 'nested'],
  properties: {
    key: { type: 'string', minLength: 20, maxLength: 30 },
    limit: { type: 'integer', minimum: 3, maximum: 10, multipleOf: 2 },
    ratio: { type: 'number', exclusiveMinimum: 0 },
    mode: { type: 'string', enum: ['fast', 'full'] },
    tags: { type: 'array', items: { type: 'string' }, minItems: 2 },
    note: { type: ['string', 'null'] },
    flag: { type: 'boolean' },
    when: { type: 'string', format: 'date-time' },
    nested: { $ref: '#/$defs/inner' },
    optional: { type: 'string' },
  },
  $defs: {
    inner: {
      type: 'object',
      additionalProperties: false,
      required: ['choice'],
      properties: { choice: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 5 }] } },
    },
  },
};

function validates(schema: object, value: unknown): boolean {
  return createAjv().compile(schema)(value) === true;
}

describe('generateArgs', () => {
  it('makes arguments that validate for a tool it does not know', () => {
    const generated = generateArgs('lookup', lookupSchema);
    expect(generated.source).toBe('generated');
    expect(generated.validAgainstSchema).toBe(true);
    expect(validates(lookupSchema, generated.args)).toBe(true);
    expect(generated.args).not.toHaveProperty('optional');
    expect(generated.args).toMatchObject({
      limit: 4,
      mode: 'fast',
      flag: true,
      nested: { choice: 5 },
    });
  });

  it('prefers the known good example for a core tool when it fits the schema', () => {
    const calc = {
      type: 'object',
      additionalProperties: false,
      required: ['expression'],
      properties: { expression: { type: 'string' } },
    };
    expect(generateArgs('calc', calc)).toEqual({
      args: { expression: '1+2' },
      source: 'known',
      validAgainstSchema: true,
    });
  });

  it('falls back to the generator when the known example does not fit', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      required: ['x'],
      properties: { x: { type: 'integer' } },
    };
    expect(generateArgs('calc', schema)).toMatchObject({ args: { x: 1 }, source: 'generated' });
  });

  it('uses const, default and examples when given', () => {
    expect(exampleValue({ const: 'fixed' })).toBe('fixed');
    expect(exampleValue({ type: 'string', default: 'd' })).toBe('d');
    expect(exampleValue({ type: 'string', examples: ['e1', 'e2'] })).toBe('e1');
    expect(exampleValue({ type: 'null' })).toBeNull();
  });
});

describe('generateInvalidArgs', () => {
  it('breaks a required property first, confirmed by ajv', () => {
    const invalid = generateInvalidArgs('lookup', lookupSchema);
    expect(invalid).toMatchObject({ args: {}, confirmed: true });
    expect(invalid?.reason).toContain('"key"');
    expect(validates(lookupSchema, invalid?.args)).toBe(false);
  });

  it('uses a wrong type when nothing is required', () => {
    const schema = { type: 'object', properties: { n: { type: 'number' } } };
    const invalid = generateInvalidArgs('t', schema);
    expect(invalid).toMatchObject({ args: { n: 'not-a-number' }, confirmed: true });
  });

  it('uses an unexpected property under additionalProperties: false', () => {
    const schema = { type: 'object', additionalProperties: false, properties: {} };
    const invalid = generateInvalidArgs('t', schema);
    expect(invalid?.args).toHaveProperty('arp_conformance_unexpected');
    expect(invalid?.confirmed).toBe(true);
  });

  it('gives up on a schema that accepts any object', () => {
    expect(generateInvalidArgs('t', { type: 'object' })).toBeUndefined();
  });

  it('confirms candidates for schemas with keywords strict mode refuses (example, x-*)', () => {
    const schema = {
      type: 'object',
      'x-vendor': true,
      required: ['a'],
      properties: { a: { type: 'string', example: 'x' } },
    };
    expect(generateInvalidArgs('t', schema)).toMatchObject({ args: {}, confirmed: true });
  });

  it('still proposes a candidate, unconfirmed, for a schema ajv cannot compile', () => {
    const schema = {
      type: 'object',
      required: ['a'],
      properties: { a: { type: 'no-such-type' } },
    };
    expect(generateInvalidArgs('t', schema)).toMatchObject({ args: {}, confirmed: false });
  });
});
