/**
 * The catalog query the app's service accepts: its type, its JSON Schema (so a transport can
 * publish it) and the one runtime check every query goes through before any SQL is built.
 */
import { SIMPLIFIED_CLASSES } from '../dataset/labels.js';
import { isRoiSet, parsePatchId, SEASONS, SENSORS, type Season, type Sensor } from '../dataset/names.js';
import { schemaErrors, type JsonSchema } from '../util/json-schema.js';

/** A page larger than this would make one reply hold a sizeable part of a 180,000-patch catalog. */
export const MAX_PAGE_LIMIT = 5000;
/** Far past any data set (SEN12MS has 180,662 triplets) and far below 2^53: offsets stay exact integers. */
export const MAX_PAGE_OFFSET = 100_000_000;
export const DEFAULT_PAGE_LIMIT = 1000;

/** Degrees, WGS 84. minLon > maxLon is a box that crosses the antimeridian. */
export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/**
 * Every present filter must hold (AND). A list filter matches the rows whose value is in the list,
 * so an empty list matches nothing, except `sensors` ("has all of"), where it matches everything.
 */
export interface CatalogQuery {
  /** Patches whose footprint bounding box intersects this box (edges included). */
  bbox?: Bbox;
  season?: Season[];
  split?: ('train' | 'test')[];
  /** ROI set names, e.g. "ROIs1158_spring". */
  roi?: string[];
  /** Simplified single label (1..10) is one of these. */
  label?: number[];
  /** Simplified multi-label holds at least one of these. */
  anyLabels?: number[];
  /** The patch has every one of these sensors. */
  sensors?: Sensor[];
  /** Catalog patch ids, e.g. "ROIs1158_spring_124_p100". */
  ids?: string[];
  /** Patches to leave out (e.g. the annotated ones, for an "unannotated" filter). */
  excludeIds?: string[];
  /** Default: offset 0, DEFAULT_PAGE_LIMIT. Rows come in (roi, scene, patch) order. */
  page?: { offset: number; limit: number };
  /** Default 'summary'; 'footprint' adds what the map draws at high zoom; 'full' everything. */
  fields?: 'summary' | 'footprint' | 'full';
}

const simplifiedClass = { type: 'integer', minimum: 1, maximum: SIMPLIFIED_CLASSES.length } as const;

export const CATALOG_QUERY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    bbox: {
      type: 'array',
      items: { type: 'number' },
      minItems: 4,
      maxItems: 4,
      description: '[minLon, minLat, maxLon, maxLat] in degrees; minLon > maxLon crosses the antimeridian',
    },
    season: { type: 'array', items: { type: 'string', enum: SEASONS } },
    split: { type: 'array', items: { type: 'string', enum: ['train', 'test'] } },
    roi: { type: 'array', items: { type: 'string', description: 'ROI set, e.g. "ROIs1158_spring"' } },
    label: { type: 'array', items: simplifiedClass },
    anyLabels: { type: 'array', items: simplifiedClass },
    sensors: { type: 'array', items: { type: 'string', enum: SENSORS } },
    ids: { type: 'array', items: { type: 'string', description: 'patch id, e.g. "ROIs1158_spring_124_p100"' } },
    excludeIds: { type: 'array', items: { type: 'string', description: 'patch id to leave out' } },
    page: {
      type: 'object',
      additionalProperties: false,
      required: ['offset', 'limit'],
      properties: {
        offset: { type: 'integer', minimum: 0, maximum: MAX_PAGE_OFFSET },
        limit: { type: 'integer', minimum: 0, maximum: MAX_PAGE_LIMIT },
      },
    },
    fields: { type: 'string', enum: ['summary', 'footprint', 'full'] },
  },
} as const satisfies JsonSchema;

/** A query that failed validation; `problems` are `query.<field>: <why>`, one per fault. */
export class CatalogQueryError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid catalog query: ${problems.join('; ')}`);
    this.name = 'CatalogQueryError';
  }
}

/** What JSON Schema cannot say: coordinate ranges per bbox position, and name formats. */
function semanticProblems(q: CatalogQuery): string[] {
  const problems: string[] = [];
  if (q.bbox) {
    const [, minLat, , maxLat] = q.bbox;
    q.bbox.forEach((v, i) => {
      const [name, limit] = i % 2 === 0 ? ['longitude', 180] : ['latitude', 90];
      if (Math.abs(v) > limit) problems.push(`query.bbox[${i}]: must be a ${name} in [-${limit}, ${limit}], got ${v}`);
    });
    if (minLat > maxLat) problems.push(`query.bbox[3]: maxLat ${maxLat} is below minLat ${minLat}`);
  }
  q.roi?.forEach((r, i) => {
    if (!isRoiSet(r)) problems.push(`query.roi[${i}]: ${JSON.stringify(r)} is not a ROI set name (e.g. "ROIs1158_spring")`);
  });
  q.ids?.forEach((id, i) => {
    try {
      parsePatchId(id);
    } catch (err) {
      problems.push(`query.ids[${i}]: ${(err as Error).message}`);
    }
  });
  return problems;
}

/** Throws CatalogQueryError naming every faulty field; returns the value, now typed. */
export function validateCatalogQuery(value: unknown): CatalogQuery {
  const structural = schemaErrors(CATALOG_QUERY_SCHEMA, value, 'query');
  if (structural.length > 0) throw new CatalogQueryError(structural);
  const problems = semanticProblems(value as CatalogQuery);
  if (problems.length > 0) throw new CatalogQueryError(problems);
  return value as CatalogQuery;
}
