/**
 * The subset of JSON Schema that our own file formats need (run config, model card, checkpoint
 * index). The schemas are plain JSON Schema documents, so other tools can validate the same
 * files; this checker exists to give messages that name the field (`normalization.mean[3]: ...`).
 */
export type JsonSchema =
  | { type: 'string'; enum?: readonly string[]; pattern?: string; minLength?: number; maxLength?: number; description?: string }
  | { type: 'number' | 'integer'; minimum?: number; maximum?: number; exclusiveMinimum?: number; description?: string }
  | { type: 'boolean'; description?: string }
  | { const: string | number | boolean; description?: string }
  | { type: 'array'; items: JsonSchema; minItems?: number; maxItems?: number; description?: string }
  | {
      type: 'object';
      properties?: Readonly<Record<string, JsonSchema>>;
      required?: readonly string[];
      additionalProperties?: boolean | JsonSchema;
      description?: string;
    }
  | { anyOf: readonly JsonSchema[]; description?: string }
  | { type: 'null'; description?: string }
  | { description?: string };

/**
 * A refusal that names each faulty field (`<path>: <problem>`): a caller that took the value in
 * under a path of its own (a job spec's options, a form's fields) places the problems there.
 */
export class FieldError extends Error {
  constructor(
    what: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid ${what}: ${problems.join('; ')}`);
  }
}

/**
 * Keys refused in every checked object, declared or not: JSON.parse makes `__proto__` an own
 * property, which a later spread or assignment would turn into a prototype.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Every violation, each as `<path>: <problem>`; empty when the value conforms. */
export function schemaErrors(schema: JsonSchema, value: unknown, path = ''): string[] {
  const at = path || '(root)';
  if ('anyOf' in schema) {
    const branches = schema.anyOf.map((s) => schemaErrors(s, value, path));
    if (branches.some((e) => e.length === 0)) return [];
    // The branch with fewest complaints is the one the author most likely meant.
    return branches.reduce((best, e) => (e.length < best.length ? e : best));
  }
  if ('const' in schema) {
    return value === schema.const ? [] : [`${at}: must be ${JSON.stringify(schema.const)}, got ${show(value)}`];
  }
  if (!('type' in schema)) return [];
  switch (schema.type) {
    case 'null':
      return value === null ? [] : [`${at}: must be null, got ${show(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: must be true or false, got ${show(value)}`];
    case 'string': {
      if (typeof value !== 'string') return [`${at}: must be a string, got ${show(value)}`];
      if (schema.enum && !schema.enum.includes(value)) {
        return [`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${show(value)}`];
      }
      const length = codePoints(value);
      if (schema.minLength !== undefined && length < schema.minLength) return [`${at}: must not be shorter than ${schema.minLength}`];
      if (schema.maxLength !== undefined && length > schema.maxLength) return [`${at}: must not be longer than ${schema.maxLength} characters, has ${length}`];
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
        return [`${at}: ${show(value)} does not match ${schema.pattern}`];
      }
      return [];
    }
    case 'number':
    case 'integer': {
      const ok = typeof value === 'number' && Number.isFinite(value) && (schema.type === 'number' || Number.isInteger(value));
      if (!ok) return [`${at}: must be ${schema.type === 'integer' ? 'an integer' : 'a finite number'}, got ${show(value)}`];
      const n = value as number;
      if (schema.minimum !== undefined && n < schema.minimum) return [`${at}: must be >= ${schema.minimum}, got ${n}`];
      if (schema.exclusiveMinimum !== undefined && n <= schema.exclusiveMinimum) return [`${at}: must be > ${schema.exclusiveMinimum}, got ${n}`];
      if (schema.maximum !== undefined && n > schema.maximum) return [`${at}: must be <= ${schema.maximum}, got ${n}`];
      return [];
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: must be a list, got ${show(value)}`];
      if (schema.minItems !== undefined && value.length < schema.minItems) return [`${at}: needs at least ${schema.minItems} items, has ${value.length}`];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return [`${at}: allows at most ${schema.maxItems} items, has ${value.length}`];
      return value.flatMap((item, i) => schemaErrors(schema.items, item, `${path}[${i}]`));
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: must be an object, got ${show(value)}`];
      const record = value as Record<string, unknown>;
      const errors: string[] = [];
      for (const key of schema.required ?? []) {
        if (!Object.hasOwn(record, key)) errors.push(`${join(path, key)}: is missing`);
      }
      for (const [key, item] of Object.entries(record)) {
        // Own properties only: `constructor` or `toString` must not find Object.prototype's.
        const known = schema.properties !== undefined && Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
        const extra = schema.additionalProperties ?? true;
        if (FORBIDDEN_KEYS.has(key)) errors.push(`${join(path, key)}: is not an accepted field name`);
        else if (known) errors.push(...schemaErrors(known, item, join(path, key)));
        else if (extra === false) errors.push(`${join(path, key)}: is not a known field`);
        else if (extra !== true) errors.push(...schemaErrors(extra, item, join(path, key)));
      }
      return errors;
    }
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A string's length as JSON Schema counts it: in code points (a character beyond the BMP is one, not two UTF-16 units). */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return n;
}
