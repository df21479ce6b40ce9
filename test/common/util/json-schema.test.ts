import { describe, expect, it } from 'vitest';
import { schemaErrors, type JsonSchema } from '../../../core/common/util/json-schema.js';

const schema = {
  type: 'object',
  required: ['name', 'sizes'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[a-z]+$' },
    kind: { type: 'string', enum: ['a', 'b'] },
    sizes: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
    ratio: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null' }] },
    version: { const: 2 },
  },
} as const satisfies JsonSchema;

describe('schemaErrors', () => {
  it('accepts a conforming value', () => {
    expect(schemaErrors(schema, { name: 'abc', kind: 'a', sizes: [1, 2], ratio: null, version: 2 })).toEqual([]);
    expect(schemaErrors(schema, { name: 'abc', sizes: [3], ratio: 0.5 })).toEqual([]);
  });

  it('names each offending field by its path', () => {
    const errors = schemaErrors(schema, { name: 'ABC', kind: 'c', sizes: [1, 0, 2.5], ratio: 0, version: 3, extra: true });
    expect(errors).toHaveLength(7);
    expect(errors.join('\n')).toMatch(/^name: "ABC" does not match/m);
    expect(errors.join('\n')).toMatch(/^kind: must be one of "a", "b", got "c"/m);
    expect(errors.join('\n')).toMatch(/^sizes\[1\]: must be >= 1, got 0/m);
    expect(errors.join('\n')).toMatch(/^sizes\[2\]: must be an integer, got 2.5/m);
    expect(errors.join('\n')).toMatch(/^ratio: must be > 0, got 0/m);
    expect(errors.join('\n')).toMatch(/^version: must be 2, got 3/m);
    expect(errors.join('\n')).toMatch(/^extra: is not a known field/m);
  });

  it('reports missing fields, wrong containers and non-finite numbers', () => {
    expect(schemaErrors(schema, { sizes: [] })).toEqual(['name: is missing', 'sizes: needs at least 1 items, has 0']);
    expect(schemaErrors(schema, [])).toEqual(['(root): must be an object, got []']);
    expect(schemaErrors({ type: 'number' }, Number.NaN)).toEqual(['(root): must be a finite number, got NaN']);
  });
});

describe('schemaErrors and Object.prototype (issue 12)', () => {
  const closed = { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } } as const satisfies JsonSchema;

  it('does not take inherited names (constructor, toString, __proto__) for declared fields', () => {
    for (const key of ['toString', 'hasOwnProperty', 'valueOf']) {
      expect(schemaErrors(closed, JSON.parse(`{"${key}": 1}`)), key).toEqual([`${key}: is not a known field`]);
    }
  });

  it('refuses __proto__, constructor and prototype as keys, even where extra fields are allowed', () => {
    const open = { type: 'object', properties: {} } as const satisfies JsonSchema;
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const value = JSON.parse(`{"${key}": {"polluted": true}}`);
      expect(schemaErrors(closed, value), key).toEqual([`${key}: is not an accepted field name`]);
      expect(schemaErrors(open, value), key).toEqual([`${key}: is not an accepted field name`]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('bounds string length with maxLength', () => {
    const s = { type: 'string', maxLength: 3 } as const satisfies JsonSchema;
    expect(schemaErrors(s, 'abc')).toEqual([]);
    expect(schemaErrors(s, 'abcd', 'note')).toEqual(['note: must not be longer than 3 characters, has 4']);
  });
});
