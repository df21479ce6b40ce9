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
  /** Creates the region, or replaces the one with the same id. */
  | { kind: 'region'; region: AnnotationRegion }
  | { kind: 'deleteRegion'; id: string };

export const NO_PATCH_ANNOTATION: PatchAnnotation = { label: null, labels: null, noisy: false, note: null };

const classNumber = { type: 'integer', minimum: 1, maximum: SIMPLIFIED_CLASSES.length } as const;
/** Free text is bounded: a note is a remark on one patch, a name a label on the map. */
export const MAX_NOTE_LENGTH = 10_000;
export const MAX_NAME_LENGTH = 200;
const nonEmpty = { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH } as const;

export const CHANGE_SCHEMAS: Record<AnnotationChange['kind'], JsonSchema> = {
  patch: {
    type: 'object',
    additionalProperties: false,
    required: ['kind', 'patch', 'set'],
    properties: {
      kind: { const: 'patch' },
      patch: { type: 'string', maxLength: MAX_NAME_LENGTH, description: 'catalog patch id, e.g. "ROIs1158_spring_124_p100"' },
      set: {
        type: 'object',
        additionalProperties: false,
        properties: {
          // null last: on a tie the first branch's message is shown, and "must be <= 10" says more
          label: { anyOf: [classNumber, { type: 'null' }] },
          labels: { anyOf: [{ type: 'array', items: classNumber, minItems: 1 }, { type: 'null' }] },
          noisy: { type: 'boolean' },
          note: { anyOf: [{ type: 'string', maxLength: MAX_NOTE_LENGTH }, { type: 'null' }] },
        },
      },
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

function checkPatchChange(change: Extract<AnnotationChange, { kind: 'patch' }>): string[] {
  const errors: string[] = [];
  try {
    parsePatchId(change.patch);
  } catch (err) {
    errors.push(`patch: ${(err as Error).message}`);
  }
  const labels = change.set.labels;
  if (labels && labels.some((c, i) => i > 0 && c <= labels[i - 1])) {
    errors.push(`set.labels: must be ascending without repeats, got ${JSON.stringify(labels)}`);
  }
  if (Object.keys(change.set).length === 0) errors.push('set: names no field to change');
  return errors;
}

/** The change, typed, or an Error naming every bad field. */
export function checkAnnotationChange(value: unknown): AnnotationChange {
  const kind = kindOf(value);
  const errors = schemaErrors(CHANGE_SCHEMAS[kind], value);
  if (errors.length > 0) invalid(errors);
  const change = value as AnnotationChange;
  if (change.kind === 'patch') {
    const more = checkPatchChange(change);
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

/** What a change, undo or redo did: the item's new state and the event that records it. */
export type AppliedChange = AnnotationState & { eventId: number };
