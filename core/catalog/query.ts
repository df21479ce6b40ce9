/**
 * Catalog queries for the app: one page of the patches matching a query (a map view, filters),
 * the number matching, and the count per simplified class under the same filters. Only the page
 * is ever materialised; SQLite counts and sorts the rest.
 */
import type Database from 'better-sqlite3';
import { SIMPLIFIED_CLASSES } from '../common/dataset/labels.js';
import type { Season } from '../common/dataset/names.js';
import { DatasetFileError } from '../common/util/file-error.js';
import { DEFAULT_PAGE_LIMIT, validateCatalogQuery, type CatalogQuery } from '../common/catalog/query-spec.js';
import type { CatalogProblem, ClassCount, PatchDetail, PatchFootprint, PatchSummary, ProblemPage, QueryPage } from '../common/catalog/patch-types.js';
import { whereOf } from './query-where.js';
import type { PatchRow } from './record.js';
import type { Db } from './schema.js';

type SummaryRow = Pick<PatchRow, 'id' | 'centroid_lon' | 'centroid_lat' | 'label' | 'labels' | 'split' | 'season'>;
type FootprintRow = SummaryRow & Pick<PatchRow, 'footprint'>;
type DetailRow = SummaryRow &
  Pick<PatchRow, 'roi' | 'scene' | 'patch' | 'sensors' | 'epsg' | 'footprint' | 'igbp_fractions' | 's2_path' | 's1_path' | 'lc_path'>;

const SUMMARY_COLUMNS = 'p.id, p.centroid_lon, p.centroid_lat, p.label, p.labels, p.split, p.season';
const FOOTPRINT_COLUMNS = `${SUMMARY_COLUMNS}, p.footprint`;
const DETAIL_COLUMNS = `${SUMMARY_COLUMNS}, p.roi, p.scene, p.patch, p.sensors, p.epsg, p.footprint, p.igbp_fractions,
  p.s2_path, p.s1_path, p.lc_path`;
const ORDER = 'ORDER BY p.roi, p.scene, p.patch';

// The SQL of a query depends only on which filters it has, so a few statements per catalog serve all.
const statements = new WeakMap<Db, Map<string, Database.Statement>>();

function prepared(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

function jsonArray<T>(db: Db, id: string, column: string, text: string): T[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value)) throw new DatasetFileError(db.name, `patch ${id}: column ${column} is not a JSON array`);
  return value as T[];
}

function summaryOf(db: Db, r: SummaryRow): PatchSummary {
  return {
    id: r.id,
    centroid: [r.centroid_lon, r.centroid_lat],
    label: r.label,
    labels: jsonArray(db, r.id, 'labels', r.labels),
    split: r.split,
    season: r.season as Season,
  };
}

function footprintOf(db: Db, r: FootprintRow): PatchFootprint {
  return { ...summaryOf(db, r), footprint: jsonArray(db, r.id, 'footprint', r.footprint) };
}

function detailOf(db: Db, r: DetailRow): PatchDetail {
  return {
    ...summaryOf(db, r),
    roi: r.roi,
    scene: r.scene,
    patch: r.patch,
    sensors: jsonArray(db, r.id, 'sensors', r.sensors),
    epsg: r.epsg,
    footprint: jsonArray(db, r.id, 'footprint', r.footprint),
    igbpFractions: jsonArray(db, r.id, 'igbp_fractions', r.igbp_fractions),
    paths: { s2: r.s2_path, s1: r.s1_path, lc: r.lc_path },
  };
}

/** The columns each `fields` level reads, and how a row becomes its object. */
const VIEWS: Record<NonNullable<CatalogQuery['fields']>, { columns: string; of: (db: Db, r: DetailRow) => PatchSummary }> = {
  summary: { columns: SUMMARY_COLUMNS, of: summaryOf },
  footprint: { columns: FOOTPRINT_COLUMNS, of: footprintOf },
  full: { columns: DETAIL_COLUMNS, of: detailOf },
};

/**
 * One page of the matching patches in (roi, scene, patch) order, and how many match. The query
 * is validated here too (CatalogQueryError), so no unchecked value reaches the SQL.
 */
export function queryPatches(db: Db, query: CatalogQuery & { fields: 'full' }): QueryPage<PatchDetail>;
export function queryPatches(db: Db, query: CatalogQuery & { fields: 'footprint' }): QueryPage<PatchFootprint>;
export function queryPatches(db: Db, query: CatalogQuery): QueryPage<PatchSummary>;
export function queryPatches(db: Db, query: CatalogQuery): QueryPage<PatchSummary> {
  const q = validateCatalogQuery(query);
  const where = whereOf(q);
  const { offset, limit } = q.page ?? { offset: 0, limit: DEFAULT_PAGE_LIMIT };
  const view = VIEWS[q.fields ?? 'summary'];
  // One read transaction: the total and the page see the same catalog even while an index run writes.
  return db.transaction((): QueryPage<PatchSummary> => {
    const { n: total } = prepared(db, `SELECT count(*) AS n FROM patches AS p ${where.sql}`).get(...where.params) as { n: number };
    if (limit === 0 || offset >= total) return { total, patches: [] };
    const rows = prepared(db, `SELECT ${view.columns} FROM patches AS p ${where.sql} ${ORDER} LIMIT ? OFFSET ?`).all(...where.params, limit, offset);
    return { total, patches: rows.map((r) => view.of(db, r as DetailRow)) };
  })();
}

/** Matching patches per simplified single label, every class listed (1..10); page and fields play no part. */
export function classCounts(db: Db, query: CatalogQuery): ClassCount[] {
  const where = whereOf(validateCatalogQuery(query));
  const rows = prepared(db, `SELECT p.label AS label, count(*) AS count FROM patches AS p ${where.sql} GROUP BY p.label`).all(
    ...where.params,
  ) as { label: number; count: number }[];
  const counts = new Map(rows.map((r) => [r.label, r.count]));
  return SIMPLIFIED_CLASSES.map((name, i) => ({ label: i + 1, name, count: counts.get(i + 1) ?? 0 }));
}

/** One page of the problem rows of the last index run, in file order. */
export function listProblems(db: Db, page: { offset: number; limit: number }): ProblemPage {
  return db.transaction((): ProblemPage => {
    const { n: total } = prepared(db, 'SELECT count(*) AS n FROM problems').get() as { n: number };
    if (page.limit === 0 || page.offset >= total) return { total, problems: [] };
    const problems = prepared(db, 'SELECT file, reason FROM problems ORDER BY file, reason LIMIT ? OFFSET ?').all(page.limit, page.offset) as CatalogProblem[];
    return { total, problems };
  })();
}
