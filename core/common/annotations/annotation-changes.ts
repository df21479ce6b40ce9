/**
 * What one annotation change may say, checked before it reaches the database: a JSON schema per
 * kind of change (so a message names the field, e.g. `set.label: must be <= 10, got 11`), then the
 * rules a schema cannot say (patch id format, ascending labels, polygon rings).
 */
import { parsePatchId } from '../dataset/names.js';
import { SIMPLIFIED_CLASSES } from '../dataset/labels.js';
import { geometryPolygons } from '../geo/geojson-regions.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';

/** A patch's overrides; classes are the simplified 1..10. */
export interface PatchAnnotation {
  label: number | null;
  /** Ascending, without repeats. */
  labels: number[] | null;
  noisy: boolean;
  note: string | null;
}

/** GeoJSON (RFC 7946) in lon/lat degrees. */
export type RegionGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export interface AnnotationRegion {
  id: string;
  name: string;
  geometry: RegionGeometry;
}

export type AnnotationChange =
  /** Sets the given fields of a patch's annotation; the others keep their value. */
  | { kind: 'patch'; patch: string; set: Partial<PatchAnnotation> }
  /** Sets the same fields on every listed patch (a box selection): one step of the undo history. */
  | { kind: 'patches'; patches: string[]; set: Partial<PatchAnnotation> }
  /** Creates the region, or replaces the one with the same id. */
  | { kind: 'region'; region: AnnotationRegion }
  | { kind: 'deleteRegion'; id: string };

export const NO_PATCH_ANNOTATION: PatchAnnotation = { label: null, labels: null, noisy: false, note: null };

const classNumber = { type: 'integer', minimum: 1, maximum: SIMPLIFIED_CLASSES.length } as const;
/** Free text is bounded: a note is a remark on one patch, a name a label on the map. */
export const MAX_NOTE_LENGTH = 10_000;
export const MAX_NAME_LENGTH = 200;
const nonEmpty = { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH } as const;
/**
 * The most items one undo step may change: a box selection on the real data set can hold tens of
 * thousands of patches, and a step that large is neither reviewable nor within a message's 1 MiB.
 */
export const MAX_BATCH_ITEMS = 5_000;

const patchSet = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // null last: on a tie the first branch's message is shown, and "must be <= 10" says more
    label: { anyOf: [classNumber, { type: 'null' }] },
    labels: { anyOf: [{ type: 'array', items: classNumber, minItems: 1 }, { type: 'null' }] },
    noisy: { type: 'boolean' },
    note: { anyOf: [{ type: 'string', maxLength: MAX_NOTE_LENGTH }, { type: 'null' }] },
  },
} as const satisfies JsonSchema;
const patchIdSchema = { type: 'string', maxLength: MAX_NAME_LENGTH, description: 'catalog patch id, e.g. "ROIs1158_spring_124_p100"' } as const;

export const CHANGE_SCHEMAS: Record<AnnotationChange['kind'], JsonSchema> = {
  patch: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'patch', 'set'],
    properties: {
      kind: { const: 'patch' },
      patch: patchIdSchema,
      set: patchSet,
    },
  },
  patches: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'patches', 'set'],
    properties: {
      kind: { const: 'patches' },
      patches: { type: 'array', items: patchIdSchema, minItems: 1, maxItems: MAX_BATCH_ITEMS },
      set: patchSet,
    },
  },
  region: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'region'],
    properties: {
      kind: { const: 'region' },
      region: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'geometry'],
        properties: {
          id: nonEmpty,
          name: nonEmpty,
          geometry: {
            type: 'object',
            required: ['type', 'coordinates'],
            properties: { type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] } },
          },
        },
      },
    },
  },
  deleteRegion: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'id'],
    properties: { kind: { const: 'deleteRegion' }, id: nonEmpty },
  },
};

function invalid(errors: string[]): never {
  throw new Error(`invalid annotation change: ${errors.join('; ')}`);
}

function kindOf(value: unknown): AnnotationChange['kind'] {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (typeof kind === 'string' && Object.hasOwn(CHANGE_SCHEMAS, kind)) return kind as AnnotationChange['kind'];
  const known = Object.keys(CHANGE_SCHEMAS).map((k) => JSON.stringify(k)).join(', ');
  return invalid([`kind: must be one of ${known}, got ${JSON.stringify(kind) ?? 'nothing'}`]);
}

function checkSet(set: Partial<PatchAnnotation>): string[] {
  const errors: string[] = [];
  const labels = set.labels;
  if (labels && labels.some((c, i) => i > 0 && c <= labels[i - 1])) {
    errors.push(`set.labels: must be ascending without repeats, got ${JSON.stringify(labels)}`);
  }
  if (Object.keys(set).length === 0) errors.push('set: names no field to change');
  return errors;
}

function patchIdError(id: string, field: string): string | null {
  try {
    parsePatchId(id);
    return null;
  } catch (err) {
    return `${field}: ${(err as Error).message}`;
  }
}

function checkPatchChange(change: Extract<AnnotationChange, { kind: 'patch' }>): string[] {
  const bad = patchIdError(change.patch, 'patch');
  return [...(bad ? [bad] : []), ...checkSet(change.set)];
}

function checkPatchesChange(change: Extract<AnnotationChange, { kind: 'patches' }>): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  change.patches.forEach((id, i) => {
    const bad = patchIdError(id, `patches[${i}]`);
    if (bad) errors.push(bad);
    else if (seen.has(id)) errors.push(`patches[${i}]: repeats an earlier patch`);
    seen.add(id);
  });
  // one message per bad id would let a 5,000-item batch answer with a 5,000-line error
  const shown = errors.length > 5 ? [...errors.slice(0, 5), `and ${errors.length - 5} more`] : errors;
  return [...shown, ...checkSet(change.set)];
}

/** The change, typed, or an Error naming every bad field. */
export function checkAnnotationChange(value: unknown): AnnotationChange {
  const kind = kindOf(value);
  const errors = schemaErrors(CHANGE_SCHEMAS[kind], value);
  if (errors.length > 0) invalid(errors);
  const change = value as AnnotationChange;
  if (change.kind === 'patch' || change.kind === 'patches') {
    const more = change.kind === 'patch' ? checkPatchChange(change) : checkPatchesChange(change);
    if (more.length > 0) invalid(more);
  } else if (change.kind === 'region') {
    try {
      geometryPolygons(change.region.geometry, 'region.geometry');
    } catch (err) {
      invalid([(err as Error).message]);
    }
  }
  return change;
}

/** An annotated item's state after a change (null: it holds no annotation any more). */
export type AnnotationState =
  | { target: 'patch'; key: string; state: PatchAnnotation | null }
  | { target: 'region'; key: string; state: AnnotationRegion | null };

/**
 * What a change, undo or redo did. `items` is every item the step changed with its new state
 * (one, or a batch's patches or imported regions, in order); target, key and state repeat the
 * first of them, and eventId is the event that records it.
 */
export type AppliedChange = AnnotationState & { eventId: number; items: AnnotationState[] };

/** The patches a change, undo or redo touched, for the UI to select and name. */
export function changedPatches(change: AppliedChange): string[] {
  return change.items.flatMap((item) => (item.target === 'patch' ? [item.key] : []));
}

/** "ROIs1158_spring_124_p100" for one item, "12 patches" for a batch, "region Lake" for a region. */
export function describeChange(change: AppliedChange): string {
  const patches = changedPatches(change);
  const regions = change.items.length - patches.length;
  const parts: string[] = [];
  if (patches.length === 1) parts.push(patches[0]);
  else if (patches.length > 1) parts.push(`${patches.length.toLocaleString('en')} patches`);
  if (regions === 1) {
    const region = change.items.find((i) => i.target === 'region')!;
    parts.push(region.state ? `region ${region.state.name}` : 'a region');
  } else if (regions > 1) parts.push(`${regions} regions`);
  return parts.join(' and ');
}
