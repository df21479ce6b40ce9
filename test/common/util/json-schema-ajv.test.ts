import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANGE_SCHEMAS } from '../../../core/common/annotations/annotation-changes.js';
import { METHOD_SCHEMAS } from '../../../core/common/api/method-schemas.js';
import { SETTING_SCHEMAS } from '../../../core/common/api/settings.js';
import { CALL_MESSAGE_SCHEMA } from '../../../core/common/api/wire.js';
import { CATALOG_QUERY_SCHEMA } from '../../../core/common/catalog/query-spec.js';
import { JOB_SPEC_SCHEMA } from '../../../core/common/jobs/job-spec.js';
import { CHECKPOINT_REF_SCHEMA } from '../../../core/common/runs/checkpoint-ref.js';
import { FINETUNE_CONFIG_SCHEMA } from '../../../core/common/training/finetune-config.js';
import { PRETRAIN_CONFIG_SCHEMA } from '../../../core/common/training/pretrain-config.js';
import { schemaErrors, type JsonSchema } from '../../../core/common/util/json-schema.js';
import { MODEL_CARD_SCHEMA } from '../../../core/formats/model-card.js';
import { CHECKPOINT_INDEX_SCHEMA } from '../../../core/runs/checkpoint-index.js';
import { RUN_CONFIG_SCHEMA } from '../../../core/runs/run-config.js';
import { JOB_PROGRESS_SCHEMA } from '../../../core/jobs/job-messages.js';

/**
 * Our checker (core/common/util/json-schema.ts) stays: it runs in the renderer under a CSP
 * without 'unsafe-eval', where ajv's compiled validators cannot, and it names the field in our
 * words. What keeps it honest is this test: on values drawn from each of our schemas, and
 * mutations of them, it accepts exactly what ajv (a maintained JSON Schema implementation)
 * accepts. The one deliberate difference: our checker refuses the keys __proto__, constructor
 * and prototype anywhere, which JSON Schema allows; the draws leave those keys out.
 */
const SCHEMAS: Record<string, JsonSchema> = {
  ...Object.fromEntries(Object.entries(METHOD_SCHEMAS).map(([m, s]) => [`params of ${m}`, s])),
  ...Object.fromEntries(Object.entries(CHANGE_SCHEMAS).map(([k, s]) => [`annotation change ${k}`, s])),
  ...Object.fromEntries(Object.entries(SETTING_SCHEMAS).map(([k, s]) => [`setting ${k}`, s])),
  'call message': CALL_MESSAGE_SCHEMA,
  'catalog query': CATALOG_QUERY_SCHEMA,
  'job spec': JOB_SPEC_SCHEMA,
  'job progress': JOB_PROGRESS_SCHEMA,
  'checkpoint ref': CHECKPOINT_REF_SCHEMA,
  'pretrain config': PRETRAIN_CONFIG_SCHEMA,
  'finetune config': FINETUNE_CONFIG_SCHEMA,
  'model card': MODEL_CARD_SCHEMA,
  'checkpoint index': CHECKPOINT_INDEX_SCHEMA,
  'run config': RUN_CONFIG_SCHEMA,
};

const KEY = fc.string({ maxLength: 6 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const anyJson = fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).match(/"(__proto__|constructor|prototype)"/));

/** Values that conform to `schema` (the part a schema leaves open takes any JSON value). */
function conforming(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 14) return fc.constant(null);
  if ('anyOf' in schema) return fc.oneof(...schema.anyOf.map((s) => conforming(s, depth + 1)));
  if ('const' in schema) return fc.constant(schema.const);
  if (!('type' in schema)) return anyJson;
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string': {
      const fits = (t: string) => [...t].length >= (schema.minLength ?? 0) && [...t].length <= (schema.maxLength ?? Infinity);
      if (schema.enum) return fc.constantFrom(...schema.enum);
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern, 'u')).filter((t) => t.length < 80 && fits(t));
      const lengths = { minLength: schema.minLength ?? 0, maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 12, 24)) };
      // At the bound too, in characters beyond the BMP: JSON Schema counts code points, not UTF-16 units.
      const atMost = schema.maxLength === undefined ? [] : [fc.constantFrom('a', '\u{1F30D}').map((c) => c.repeat(schema.maxLength!))];
      return fc.oneof(fc.string(lengths), fc.string({ ...lengths, unit: 'grapheme' }), ...atMost).filter(fits);
    }
    case 'number':
    case 'integer': {
      const { low, high } = bounds(schema);
      return schema.type === 'integer'
        ? fc.integer({ min: Math.ceil(low), max: Math.min(Math.floor(high), Math.ceil(low) + 1_000_000) })
        : fc.double({ noNaN: true, min: low, max: high });
    }
    case 'array':
      return fc.array(conforming(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 4)) });
    case 'object': {
      const properties = schema.properties ?? {};
      const keys = Object.keys(properties);
      const required = schema.required ?? [];
      // A required field the schema does not describe takes any value.
      const unnamed = required.filter((k) => !keys.includes(k));
      const fields: Record<string, fc.Arbitrary<unknown>> = Object.fromEntries([
        ...keys.map((k) => [k, conforming(properties[k], depth + 1)] as const),
        ...unnamed.map((k) => [k, anyJson] as const),
      ]);
      const requiredKeys: string[] = [...keys.filter((k) => required.includes(k)), ...unnamed];
      return fc.record(fields, { requiredKeys });
    }
  }
}

function bounds(schema: { type: 'number' | 'integer'; minimum?: number; maximum?: number; exclusiveMinimum?: number }): { low: number; high: number } {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (schema.type === 'integer' ? 1 : 1e-9) : -1000);
  return { low, high: Math.max(low, schema.maximum ?? low + 1000) };
}

/** Values with one fault somewhere in them (a bound or length one off, a wrong type, a field missing or unknown), the rest conforming. */
function faulty(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 14) return fc.constant(null);
  if ('anyOf' in schema) return fc.oneof(...schema.anyOf.map((s) => faulty(s, depth + 1)));
  if ('const' in schema) return fc.constantFrom(typeof schema.const === 'string' ? `${schema.const}x` : 'x', null);
  if (!('type' in schema)) return anyJson;
  switch (schema.type) {
    case 'null':
      return fc.constantFrom(0, '', false);
    case 'boolean':
      return fc.constantFrom('true', 0, null);
    case 'string': {
      const faults: fc.Arbitrary<unknown>[] = [fc.constantFrom(5, null, ['x'])];
      if (schema.enum) faults.push(fc.string({ maxLength: 6 }).filter((t) => !schema.enum!.includes(t)));
      if (schema.pattern) faults.push(fc.string({ maxLength: 6 }).filter((t) => !new RegExp(schema.pattern!, 'u').test(t)));
      if (schema.minLength) faults.push(fc.string({ maxLength: schema.minLength - 1 }));
      if (schema.maxLength !== undefined) faults.push(fc.constantFrom('a', '\u{1F30D}').map((c) => c.repeat(schema.maxLength! + 1)));
      return fc.oneof(...faults);
    }
    case 'number':
    case 'integer': {
      const { low, high } = bounds(schema);
      const edges = [
        ...(schema.minimum !== undefined ? [schema.minimum - 1, schema.minimum - 1e-9] : []),
        ...(schema.exclusiveMinimum !== undefined ? [schema.exclusiveMinimum] : []),
        ...(schema.maximum !== undefined ? [schema.maximum + 1, schema.maximum + 1e-9] : []),
        ...(schema.type === 'integer' ? [Math.ceil(low) + 0.5] : []),
        '1',
        null,
      ];
      return fc.constantFrom(...edges.filter((e) => e === null || typeof e === 'string' || (Number.isFinite(e) && e <= high + 2)));
    }
    case 'array': {
      const faults: fc.Arbitrary<unknown>[] = [fc.constantFrom('[]', {})];
      const items = fc.array(conforming(schema.items, depth + 1), { minLength: Math.max(1, schema.minItems ?? 0), maxLength: Math.max(1, Math.min(schema.maxItems ?? 3, 4)) });
      faults.push(fc.tuple(items, faulty(schema.items, depth + 1), fc.nat()).map(([list, bad, i]) => list.map((v, k) => (k === i % list.length ? bad : v))));
      if (schema.minItems) faults.push(fc.array(conforming(schema.items, depth + 1), { maxLength: schema.minItems - 1 }));
      if (schema.maxItems !== undefined && schema.maxItems < 6) faults.push(fc.array(conforming(schema.items, depth + 1), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 2 }));
      return fc.oneof(...faults);
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const whole = conforming(schema, depth) as fc.Arbitrary<Record<string, unknown>>;
      const faults: fc.Arbitrary<unknown>[] = [fc.constantFrom('{}', [], null)];
      const required = schema.required ?? [];
      if (required.length > 0) faults.push(fc.tuple(whole, fc.constantFrom(...required)).map(([v, k]) => ({ ...v, [k]: undefined })).map(withoutUndefined));
      if (schema.additionalProperties === false) faults.push(fc.tuple(whole, KEY.filter((k) => !Object.hasOwn(properties, k))).map(([v, k]) => ({ ...v, [k]: 1 })));
      const keys = Object.keys(properties);
      if (keys.length > 0) {
        faults.push(
          fc.constantFrom(...keys).chain((k) => fc.tuple(whole, faulty(properties[k], depth + 1)).map(([v, bad]) => ({ ...v, [k]: bad }))),
        );
      }
      return fc.oneof(...faults);
    }
  }
}

function withoutUndefined(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
}

describe("our schema checker accepts what ajv accepts, on every schema's values", () => {
  const ajv = new Ajv({ strict: false, allErrors: false, unicodeRegExp: true });

  for (const [name, schema] of Object.entries(SCHEMAS)) {
    it(name, () => {
      const validate = ajv.compile(schema as object);
      let accepted = 0;
      let refused = 0;
      fc.assert(
        fc.property(fc.oneof(conforming(schema), faulty(schema), anyJson), (value) => {
          const ours = schemaErrors(schema, value).length === 0;
          if (ours) accepted++;
          else refused++;
          expect(ours, JSON.stringify(value)).toBe(validate(value));
        }),
        { numRuns: 600, seed: 11 },
      );
      // The draws must reach both sides of the schema, or agreeing would say little.
      expect(accepted, 'values accepted').toBeGreaterThan(20);
      expect(refused, 'values refused').toBeGreaterThan(20);
    });
  }
});
