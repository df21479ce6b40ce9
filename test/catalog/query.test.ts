import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { index } from '../../core/catalog/indexer.js';
import { classCounts, queryPatches } from '../../core/catalog/query.js';
import { type PatchDetail } from '../../core/common/catalog/patch-types.js';
import { CatalogQueryError, MAX_PAGE_LIMIT, validateCatalogQuery, type CatalogQuery } from '../../core/common/catalog/query-spec.js';
import { whereOf } from '../../core/catalog/query-where.js';
import type { PatchRow } from '../../core/catalog/record.js';
import { openCatalogForRead, type Db } from '../../core/catalog/schema.js';
import { SIMPLIFIED_CLASSES } from '../../core/common/dataset/labels.js';
import { OFFICIAL_ROI_SETS, patchRelPath, SEASONS, SENSORS } from '../../core/common/dataset/names.js';
import { Rng } from '../../core/util/rng.js';
import { s2Patches, syntheticDataset, tempDir } from './fixture.js';
import { syntheticRows, writeCatalog, type StraddlingIds } from './query-fixture.js';

const work = tempDir('query');
const catalogs: Record<'indexed' | 'rows', { db: Db; rows: PatchRow[] }> = {} as never;
let straddling: StraddlingIds;

beforeAll(async () => {
  const root = await syntheticDataset(work, 8, 5);
  // One patch without S1, so the sensors filter has something to tell apart.
  fs.rmSync(path.join(root, patchRelPath(s2Patches(root)[3], 's1')));
  const r = await index(root, { db: path.join(work, 'indexed.sqlite'), workers: 1 });
  const synth = syntheticRows(300, 5);
  straddling = synth.straddling;
  writeCatalog(path.join(work, 'rows.sqlite'), synth.rows);
  for (const [name, file] of [['indexed', r.db], ['rows', path.join(work, 'rows.sqlite')]] as const) {
    const db = openCatalogForRead(file);
    catalogs[name] = { db, rows: db.prepare<[], PatchRow>('SELECT * FROM patches').all() };
  }
});
afterAll(() => {
  Object.values(catalogs).forEach((c) => c.db.close());
  fs.rmSync(work, { recursive: true, force: true });
});

// ---- The reference: the same filters written plainly over every row, from the footprint ring. ----

function ringBox(row: PatchRow): [number, number, number, number] {
  const ring = JSON.parse(row.footprint) as [number, number][];
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/** Intersection on the circle of longitudes: the footprint's span, moved by whole turns, meets a piece of the box. */
function inBox(row: PatchRow, [w, s, e, n]: [number, number, number, number]): boolean {
  const [minLon, minLat, maxLon, maxLat] = ringBox(row);
  if (minLat > n || maxLat < s) return false;
  const pieces = w <= e ? [[w, e]] : [[w, 180], [-180, e]];
  return [-360, 0, 360].some((turn) => pieces.some(([a, b]) => minLon + turn <= b && maxLon + turn >= a));
}

function matches(row: PatchRow, q: CatalogQuery): boolean {
  const labels = JSON.parse(row.labels) as number[];
  const sensors = JSON.parse(row.sensors) as string[];
  return (
    (!q.bbox || inBox(row, q.bbox)) &&
    (!q.season || q.season.includes(row.season as never)) &&
    (!q.split || q.split.includes(row.split)) &&
    (!q.roi || q.roi.includes(row.roi)) &&
    (!q.label || q.label.includes(row.label)) &&
    (!q.anyLabels || q.anyLabels.some((l) => labels.includes(l))) &&
    (!q.sensors || q.sensors.every((s) => sensors.includes(s))) &&
    (!q.ids || q.ids.includes(row.id))
  );
}

const byOrder = (a: PatchRow, b: PatchRow) => (a.roi < b.roi ? -1 : a.roi > b.roi ? 1 : a.scene - b.scene || a.patch - b.patch);

function expected(rows: PatchRow[], q: CatalogQuery): PatchRow[] {
  return rows.filter((r) => matches(r, q)).sort(byOrder);
}

/** Every page of a query, `limit` at a time, checking that each reports the same total. */
function allPages(db: Db, q: CatalogQuery, limit: number): string[] {
  const first = queryPatches(db, { ...q, page: { offset: 0, limit } });
  const ids = first.patches.map((p) => p.id);
  for (let offset = limit; offset < first.total; offset += limit) {
    const page = queryPatches(db, { ...q, page: { offset, limit } });
    expect(page.total).toBe(first.total);
    ids.push(...page.patches.map((p) => p.id));
  }
  expect(ids).toHaveLength(first.total);
  return ids;
}

function subset<T>(rng: Rng, items: readonly T[]): T[] {
  return items.filter(() => rng.next() < 0.5);
}

function randomBbox(rng: Rng, rows: PatchRow[]): [number, number, number, number] {
  const clampLon = (v: number) => Math.max(-180, Math.min(180, v));
  const clampLat = (v: number) => Math.max(-90, Math.min(90, v));
  if (rng.next() < 0.3) {
    // Anywhere, a third of them crossing the antimeridian.
    const a = rng.uniform(-180, 180);
    const b = rng.uniform(-180, 180);
    const [s, n] = [rng.uniform(-90, 90), rng.uniform(-90, 90)].sort((x, y) => x - y);
    return rng.next() < 0.33 ? [Math.max(a, b), s, Math.min(a, b), n] : [Math.min(a, b), s, Math.max(a, b), n];
  }
  // Around a patch, from well inside its footprint to a continent.
  const [lon, lat] = ringBox(rows[rng.int(rows.length)]);
  const r = 10 ** rng.uniform(-3, 1.5);
  return [clampLon(lon - r), clampLat(lat - r), clampLon(lon + r), clampLat(lat + r)];
}

function randomQuery(rng: Rng, rows: PatchRow[]): CatalogQuery {
  const q: CatalogQuery = {};
  const some = () => rng.next() < 0.35;
  const classes = Array.from({ length: SIMPLIFIED_CLASSES.length }, (_, i) => i + 1);
  if (some()) q.bbox = randomBbox(rng, rows);
  if (some()) q.season = subset(rng, SEASONS);
  if (some()) q.split = subset(rng, ['train', 'test'] as const);
  if (some()) q.roi = [...subset(rng, OFFICIAL_ROI_SETS), ...(rng.next() < 0.3 ? ['ROIs9999_fall'] : [])];
  if (some()) q.label = subset(rng, classes);
  if (some()) q.anyLabels = subset(rng, classes);
  if (some()) q.sensors = subset(rng, SENSORS);
  if (rng.next() < 0.15) q.ids = [...rows.filter(() => rng.next() < 0.2).map((r) => r.id), 'ROIs1158_spring_1_p1'];
  return q;
}

describe.each(['indexed', 'rows'] as const)('queries on the %s catalog against a plain filter over all rows', (name) => {
  it('has rows of every kind the filters tell apart', () => {
    const { rows } = catalogs[name];
    expect(new Set(rows.map((r) => r.split))).toEqual(new Set(['train', 'test']));
    expect(new Set(rows.map((r) => r.sensors)).size).toBe(2);
    expect(new Set(rows.map((r) => r.season)).size).toBe(4);
    expect(new Set(rows.map((r) => r.label)).size).toBeGreaterThan(2);
  });

  it('returns, page by page, exactly the matching rows in (roi, scene, patch) order', () => {
    const { db, rows } = catalogs[name];
    const rng = new Rng(name === 'indexed' ? 1 : 2);
    let nonEmpty = 0;
    for (let i = 0; i < 80; i++) {
      const q = randomQuery(rng, rows);
      const want = expected(rows, q).map((r) => r.id);
      const got = allPages(db, q, 1 + rng.int(40));
      expect(got, JSON.stringify(q)).toEqual(want);
      if (want.length > 0 && want.length < rows.length) nonEmpty++;
    }
    // The random queries must mostly select something, or the comparison says little.
    expect(nonEmpty).toBeGreaterThan(40);
  });

  it('counts per class under the same filters, all ten classes listed, summing to the total', () => {
    const { db, rows } = catalogs[name];
    const rng = new Rng(name === 'indexed' ? 3 : 4);
    for (let i = 0; i < 40; i++) {
      const q = randomQuery(rng, rows);
      const want = expected(rows, q);
      const counts = classCounts(db, q);
      expect(counts.map((c) => [c.label, c.name])).toEqual(SIMPLIFIED_CLASSES.map((n, k) => [k + 1, n]));
      expect(counts.map((c) => c.count)).toEqual(SIMPLIFIED_CLASSES.map((_, k) => want.filter((r) => r.label === k + 1).length));
      expect(counts.reduce((s, c) => s + c.count, 0)).toBe(queryPatches(db, { ...q, page: { offset: 0, limit: 0 } }).total);
    }
  });

  it('gives the map summary fields only, and the full fields as catalogued', () => {
    const { db, rows } = catalogs[name];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const summary = queryPatches(db, { page: { offset: 0, limit: MAX_PAGE_LIMIT } }).patches;
    expect(summary).toHaveLength(rows.length);
    for (const p of summary) {
      const r = byId.get(p.id)!;
      expect(p).toEqual({
        id: r.id,
        centroid: [r.centroid_lon, r.centroid_lat],
        label: r.label,
        labels: JSON.parse(r.labels),
        split: r.split,
        season: r.season,
      });
    }
    const full: PatchDetail[] = queryPatches(db, { fields: 'full', page: { offset: 0, limit: MAX_PAGE_LIMIT } }).patches;
    for (const p of full) {
      const r = byId.get(p.id)!;
      expect(p).toMatchObject({
        roi: r.roi,
        scene: r.scene,
        patch: r.patch,
        epsg: r.epsg,
        sensors: JSON.parse(r.sensors),
        footprint: JSON.parse(r.footprint),
        igbpFractions: JSON.parse(r.igbp_fractions),
        paths: { s2: r.s2_path, s1: r.s1_path, lc: r.lc_path },
      });
    }
    expect(full.filter((p) => p.paths.s1 === null).length).toBeGreaterThan(0);
    // the map's level: the summary and the footprint, nothing more
    const outlines = queryPatches(db, { fields: 'footprint', page: { offset: 0, limit: MAX_PAGE_LIMIT } }).patches;
    expect(outlines.map((p) => p.id)).toEqual(full.map((p) => p.id));
    outlines.forEach((p, i) => {
      const { id, centroid, label, labels, split, season, footprint } = full[i];
      expect(p).toEqual({ id, centroid, label, labels, split, season, footprint });
    });
  });
});

describe('paging', () => {
  it('covers every row exactly once whatever the page size, with the total independent of paging', () => {
    const { db, rows } = catalogs.rows;
    const all = expected(rows, {}).map((r) => r.id);
    for (const limit of [1, 7, 64, rows.length - 1, rows.length, MAX_PAGE_LIMIT]) {
      const ids = allPages(db, {}, limit);
      expect(ids).toEqual(all);
      expect(new Set(ids).size).toBe(rows.length);
    }
  });

  it('answers a page past the end, and a page of 0, with the total only', () => {
    const { db, rows } = catalogs.rows;
    expect(queryPatches(db, { page: { offset: rows.length, limit: 10 } })).toEqual({ total: rows.length, patches: [] });
    expect(queryPatches(db, { season: ['fall'], page: { offset: 0, limit: 0 } })).toEqual({
      total: rows.filter((r) => r.season === 'fall').length,
      patches: [],
    });
  });
});

describe('bounding boxes', () => {
  it('finds patches straddling the antimeridian from either side, and from a box crossing it', () => {
    const { db, rows } = catalogs.rows;
    const ids = (bbox: [number, number, number, number]) => allPages(db, { bbox }, 100);
    // The fixture's straddlers: stored with longitudes past +180 and below -180.
    const east = rows.find((r) => r.id === straddling.east)!;
    const west = rows.find((r) => r.id === straddling.west)!;
    expect(east.max_lon).toBeGreaterThan(180);
    expect(west.min_lon).toBeLessThan(-180);
    // A thin box just east of -180 (not crossing) meets the one stored past +180, and vice versa.
    expect(ids([-180, -18, -179.999, -17])).toContain(straddling.east);
    expect(ids([179.999, -21, 180, -20])).toContain(straddling.west);
    // A box crossing the antimeridian holds both straddlers and plain patches on both sides.
    const crossing: [number, number, number, number] = [150, -60, -150, 60];
    const want = expected(rows, { bbox: crossing });
    expect(want.some((r) => r.max_lon < 180 && r.min_lon > 150)).toBe(true);
    expect(want.some((r) => r.min_lon > -180 && r.max_lon < -150)).toBe(true);
    expect(ids(crossing)).toEqual(want.map((r) => r.id));
    expect(ids(crossing)).toEqual(expect.arrayContaining([straddling.east, straddling.west]));
    // And a box over neither side of it holds neither.
    expect(ids([-170, -60, 170, 60])).not.toContain(straddling.east);
  });

  it('takes a whole-globe box without the R-tree, straddlers included, and still filters latitude', () => {
    const { db, rows } = catalogs.rows;
    const world = allPages(db, { bbox: [-180, -90, 180, 90] }, 500);
    expect(world).toEqual(expected(rows, {}).map((r) => r.id));
    expect(world).toEqual(expect.arrayContaining([straddling.east, straddling.west]));
    expect(whereOf({ bbox: [-180, -90, 180, 90] }).sql).not.toMatch(/patches_bbox/);
    const north: [number, number, number, number] = [-180, 0, 180, 90];
    expect(allPages(db, { bbox: north }, 500)).toEqual(expected(rows, { bbox: north }).map((r) => r.id));
  });

  it('counts a box that only touches a footprint edge, and not one a hair away', () => {
    const { db, rows } = catalogs.rows;
    const r = rows.find((x) => x.min_lon > -170 && x.max_lon < 170)!;
    const [w, s, , n] = ringBox(r);
    expect(allPages(db, { bbox: [w - 0.01, s, w, n] }, 50)).toContain(r.id);
    expect(allPages(db, { bbox: [w - 0.01, s, w - 1e-9, n] }, 50)).not.toContain(r.id);
  });

  it('is answered through the R-tree', () => {
    const { db } = catalogs.rows;
    const where = whereOf({ bbox: [10, 10, 20, 20] });
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT p.id FROM patches AS p ${where.sql}`)
      .all(...where.params)
      .map((row) => (row as { detail: string }).detail);
    expect(plan.some((d) => /patches_bbox VIRTUAL TABLE INDEX/.test(d))).toBe(true);
    expect(plan.some((d) => /^SCAN p\b/.test(d))).toBe(false);
  });
});

describe('malformed queries', () => {
  const cases: [string, unknown, string][] = [
    ['not an object', null, 'query: must be an object'],
    ['a list', [], 'query: must be an object'],
    ['an unknown field', { colour: 'red' }, 'query.colour: is not a known field'],
    ['a short bbox', { bbox: [0, 0, 1] }, 'query.bbox: needs at least 4'],
    ['a bbox of strings', { bbox: ['0', 0, 1, 1] }, 'query.bbox[0]: must be a finite number'],
    ['a NaN in the bbox', { bbox: [0, NaN, 1, 1] }, 'query.bbox[1]: must be a finite number'],
    ['a longitude out of range', { bbox: [0, 0, 200, 1] }, 'query.bbox[2]: must be a longitude in [-180, 180]'],
    ['a latitude out of range', { bbox: [0, -95, 1, 1] }, 'query.bbox[1]: must be a latitude in [-90, 90]'],
    ['maxLat below minLat', { bbox: [0, 10, 1, 5] }, 'query.bbox[3]: maxLat 5 is below minLat 10'],
    ['a season that is not one', { season: ['autumn'] }, 'query.season[0]: must be one of'],
    ['a season not in a list', { season: 'fall' }, 'query.season: must be a list'],
    ['an unknown split', { split: ['train', 'val'] }, 'query.split[1]: must be one of'],
    ['a ROI set name that is not one', { roi: ["ROIs1158_spring' OR 1=1 --"] }, 'query.roi[0]: '],
    ['class 0', { label: [0] }, 'query.label[0]: must be >= 1'],
    ['class 11', { anyLabels: [2, 11] }, 'query.anyLabels[1]: must be <= 10'],
    ['a fractional class', { label: [1.5] }, 'query.label[0]: must be an integer'],
    ['an unknown sensor', { sensors: ['s3'] }, 'query.sensors[0]: must be one of'],
    ['a malformed id', { ids: ['ROIs1158_spring_1_p1', 'x'] }, 'query.ids[1]: not a SEN12MS patch id'],
    ['a negative offset', { page: { offset: -1, limit: 10 } }, 'query.page.offset: must be >= 0'],
    ['a page too large', { page: { offset: 0, limit: MAX_PAGE_LIMIT + 1 } }, `query.page.limit: must be <= ${MAX_PAGE_LIMIT}`],
    ['a page without a limit', { page: { offset: 0 } }, 'query.page.limit: is missing'],
    ['unknown fields', { fields: 'all' }, 'query.fields: must be one of'],
  ];

  it.each(cases)('refuses %s, naming the field', (_, value, message) => {
    expect(() => validateCatalogQuery(value)).toThrow(CatalogQueryError);
    expect(() => validateCatalogQuery(value)).toThrow(message);
    expect(() => queryPatches(catalogs.rows.db, value as CatalogQuery)).toThrow(message);
    expect(() => classCounts(catalogs.rows.db, value as CatalogQuery)).toThrow(message);
  });

  it('accepts every filter at once, and empty lists as "none of these"', () => {
    const q = {
      bbox: [170, -10, -170, 10],
      season: [],
      split: ['test'],
      roi: ['ROIs1970_fall'],
      label: [1],
      anyLabels: [2],
      sensors: [],
      ids: ['ROIs1970_fall_1_p30'],
      page: { offset: 5, limit: MAX_PAGE_LIMIT },
      fields: 'full',
    };
    expect(validateCatalogQuery(q)).toEqual(q);
    expect(queryPatches(catalogs.rows.db, { season: [] }).total).toBe(0);
    expect(queryPatches(catalogs.rows.db, { sensors: [] }).total).toBe(catalogs.rows.rows.length);
  });
});
