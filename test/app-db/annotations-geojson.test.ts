import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAnnotationsGeoJson } from '../../core/app-db/annotations-geojson.js';
import { Annotations } from '../../core/app-db/annotations.js';
import { openAppDb } from '../../core/app-db/schema.js';
import { openCatalogForWrite } from '../../core/catalog/schema.js';
import { parseRegions } from '../../core/common/geo/geojson-regions.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-db-geojson-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const IN_CATALOG = 'ROIs1158_spring_1_p5';
const NOT_IN_CATALOG = 'ROIs1158_spring_1_p6';
const lake = { type: 'Polygon' as const, coordinates: [[[10, 45], [11, 45], [11, 46], [10, 45]]] };
const islands = { type: 'MultiPolygon' as const, coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[2, 2], [3, 2], [3, 3], [2, 2]]]] };

function annotated(name: string): Annotations {
  const a = new Annotations(openAppDb(path.join(dir, `${name}.sqlite`)), '/data/sen12ms');
  a.apply({ kind: 'region', region: { id: 'lake', name: 'Lake', geometry: lake } });
  a.apply({ kind: 'region', region: { id: 'isl', name: 'Islands', geometry: islands } });
  a.apply({ kind: 'patch', patch: IN_CATALOG, set: { label: 10, noisy: true } });
  a.apply({ kind: 'patch', patch: NOT_IN_CATALOG, set: { labels: [1, 2], note: 'mixed' } });
  return a;
}

function catalogWith(id: string, lon: number, lat: number) {
  const db = openCatalogForWrite(path.join(dir, 'catalog.sqlite'));
  db.prepare(
    `INSERT INTO patches (id, roi, season, scene, patch, s2_path, s1_path, lc_path, sensors, epsg, footprint,
       crs_min_x, crs_min_y, crs_max_x, crs_max_y, centroid_lon, centroid_lat, min_lon, min_lat, max_lon, max_lat,
       split, igbp_fractions, label_igbp, labels_igbp, label, labels)
     VALUES (?, 'ROIs1158_spring', 'spring', 1, 5, 's2', 's1', 'lc', '[]', 32633, '[]', 0, 0, 1, 1, ?, ?, 0, 0, 1, 1,
       'train', '[]', 1, '[]', 1, '[]')`,
  ).run(id, lon, lat);
  return db;
}

describe('exportAnnotationsGeoJson', () => {
  it('without a catalog: the regions only, readable back as regions', () => {
    const fc = exportAnnotationsGeoJson(annotated('regions-only'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toEqual([
      { type: 'Feature', id: 'isl', geometry: islands, properties: { kind: 'region', id: 'isl', name: 'Islands' } },
      { type: 'Feature', id: 'lake', geometry: lake, properties: { kind: 'region', id: 'lake', name: 'Lake' } },
    ]);
    const regions = parseRegions(JSON.parse(JSON.stringify(fc)), 'annotations.geojson');
    expect(regions.map((r) => [r.name, r.polygons.length])).toEqual([
      ['Islands', 2],
      ['Lake', 1],
    ]);
  });

  it('with a catalog: a centroid Point per annotated patch carrying its overrides', () => {
    const catalog = catalogWith(IN_CATALOG, 12.5, 47.25);
    const fc = exportAnnotationsGeoJson(annotated('with-patches'), catalog);
    catalog.close();
    const patches = fc.features.filter((f) => f.properties.kind === 'patch');
    expect(patches).toEqual([
      {
        type: 'Feature',
        id: IN_CATALOG,
        geometry: { type: 'Point', coordinates: [12.5, 47.25] },
        properties: { kind: 'patch', id: IN_CATALOG, label: 10, labels: null, noisy: true, note: null },
      },
      {
        type: 'Feature',
        id: NOT_IN_CATALOG,
        geometry: null,
        properties: { kind: 'patch', id: NOT_IN_CATALOG, label: null, labels: [1, 2], noisy: false, note: 'mixed' },
      },
    ]);
    expect(fc.features.filter((f) => f.properties.kind === 'region')).toHaveLength(2);
  });
});
