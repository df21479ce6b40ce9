import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportCsv } from '../../core/catalog/export/csv.js';
import { exportGeoJson } from '../../core/catalog/export/geojson.js';
import { index } from '../../core/catalog/indexer.js';
import { openCatalogForRead, type Db } from '../../core/catalog/schema.js';
import { parsePatchId, patchRelPath } from '../../core/common/dataset/names.js';
import { s2Patches, syntheticDataset, tempDir } from './fixture.js';

const work = tempDir('export');
let db: Db;
let geojson: { type: string; features: Feature[] };
let csvText = '';

interface Feature {
  type: string;
  geometry: { type: string; coordinates: [number, number][][] };
  properties: Record<string, unknown>;
}

/** A sink that can hold only a little before asking the writer to wait, as a slow pipe does. */
function slowSink(): { sink: Writable; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      setImmediate(done);
    },
  });
  return { sink, text: () => chunks.join('') };
}

/** RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  expect(field).toBe('');
  return rows;
}

const signedArea = (ring: [number, number][]) =>
  ring.slice(0, -1).reduce((s, [x0, y0], i) => s + x0 * ring[i + 1][1] - ring[i + 1][0] * y0, 0) / 2;

// The simplified scheme from SEN12MS-FACTS: IGBP 1..17 -> class 1..10.
const SIMPLIFIED = [1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 6, 8, 9, 10];

beforeAll(async () => {
  const root = await syntheticDataset(work, 3, 3);
  // One patch without S1, so the sensors list varies.
  fs.rmSync(path.join(root, patchRelPath(s2Patches(root)[4], 's1')));
  const r = await index(root, { db: path.join(work, 'catalog.sqlite') });
  db = openCatalogForRead(r.db);
  const g = slowSink();
  expect(await exportGeoJson(db, g.sink)).toBe(9);
  geojson = JSON.parse(g.text());
  const c = slowSink();
  expect(await exportCsv(db, c.sink)).toBe(9);
  csvText = c.text();
});
afterAll(() => {
  db?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('GeoJSON export', () => {
  it('is a FeatureCollection with one Feature per patch in (roi, scene, patch) order', () => {
    expect(geojson.type).toBe('FeatureCollection');
    const keys = geojson.features.map((f) => {
      const p = f.properties as { roi: string; scene: number; patch: number };
      return [p.roi, p.scene, p.patch] as const;
    });
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
    expect(new Set(geojson.features.map((f) => f.properties.id)).size).toBe(9);
  });

  it('has exactly the contract properties with the contract types', () => {
    for (const f of geojson.features) {
      expect(f.type).toBe('Feature');
      const p = f.properties;
      expect(Object.keys(p)).toEqual(['id', 'roi', 'season', 'scene', 'patch', 'split', 'epsg', 'sensors', 'igbp_fractions', 'label_igbp', 'labels_igbp', 'label', 'labels']);
      expect(parsePatchId(p.id as string)).toEqual({ roi: p.roi, scene: p.scene, patch: p.patch });
      expect((p.roi as string).endsWith(`_${p.season}`)).toBe(true);
      expect(['train', 'test']).toContain(p.split);
      expect(p.epsg).toSatisfy((e: number) => (e > 32600 && e <= 32660) || (e > 32700 && e <= 32760));
      expect([['lc', 's1', 's2'], ['lc', 's2']]).toContainEqual(p.sensors);
    }
    expect(geojson.features.filter((f) => (f.properties.sensors as string[]).length === 2)).toHaveLength(1);
  });

  it('carries labels consistent with the IGBP fractions (arg-max, >= 0.1, simplified sums)', () => {
    for (const { properties: p } of geojson.features) {
      const f = p.igbp_fractions as number[];
      expect(f).toHaveLength(17);
      expect(f.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(p.label_igbp).toBe(f.indexOf(Math.max(...f)) + 1);
      expect(p.labels_igbp).toEqual(f.flatMap((x, i) => (x >= 0.1 ? [i + 1] : [])));
      const simple = new Array(10).fill(0);
      f.forEach((x, i) => (simple[SIMPLIFIED[i] - 1] += x));
      expect(p.label).toBe(simple.indexOf(Math.max(...simple)) + 1);
      expect(p.labels).toEqual(simple.flatMap((x, i) => (x >= 0.1 ? [i + 1] : [])));
    }
  });

  it('has a closed counter-clockwise lon/lat ring of the four corners, about 2.56 km across', () => {
    for (const { geometry } of geojson.features) {
      expect(geometry.type).toBe('Polygon');
      const ring = geometry.coordinates[0];
      expect(ring).toHaveLength(5);
      expect(ring[4]).toEqual(ring[0]);
      expect(signedArea(ring)).toBeGreaterThan(0);
      const lat = ring[0][1];
      const heightKm = (Math.max(...ring.map((p) => p[1])) - Math.min(...ring.map((p) => p[1]))) * 111.32;
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
      expect(heightKm).toBeGreaterThan(2.4);
      expect(heightKm).toBeLessThan(2.8);
    }
  });
});

describe('CSV export', () => {
  it('has the contract header and one CRLF record per patch, the same as the GeoJSON', () => {
    const rows = parseCsv(csvText);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows[0]).toEqual(['id', 'roi', 'season', 'scene', 'patch', 'split', 'epsg', 'sensors', 'igbp_fractions', 'label_igbp', 'labels_igbp', 'label', 'labels', 'centroid_lon', 'centroid_lat', 'footprint_wkt']);
    expect(rows).toHaveLength(10);
    rows.slice(1).forEach((row, i) => {
      const p = geojson.features[i].properties;
      const cell = Object.fromEntries(rows[0].map((name, j) => [name, row[j]]));
      expect(cell.id).toBe(p.id);
      expect([cell.roi, cell.season, cell.split]).toEqual([p.roi, p.season, p.split]);
      expect([Number(cell.scene), Number(cell.patch), Number(cell.epsg), Number(cell.label_igbp), Number(cell.label)]).toEqual([p.scene, p.patch, p.epsg, p.label_igbp, p.label]);
      for (const name of ['sensors', 'igbp_fractions', 'labels_igbp', 'labels']) expect(JSON.parse(cell[name])).toEqual(p[name]);
    });
  });

  it('quotes cells with commas per RFC 4180 and gives the footprint as WKT', () => {
    const lines = csvText.split('\r\n');
    expect(lines[1]).toMatch(/,"\[[^"]*,[^"]*\]",/); // an array with a comma, quoted
    parseCsv(csvText).slice(1).forEach((row, i) => {
      const m = /^POLYGON\(\((.*)\)\)$/.exec(row[15]);
      expect(m).not.toBeNull();
      const ring = m![1].split(', ').map((pair) => pair.split(' ').map(Number));
      expect(ring).toEqual(geojson.features[i].geometry.coordinates[0]);
      const [lon, lat] = [Number(row[13]), Number(row[14])];
      expect(lon).toBeGreaterThan(Math.min(...ring.map((p) => p[0])));
      expect(lon).toBeLessThan(Math.max(...ring.map((p) => p[0])));
      expect(lat).toBeGreaterThan(Math.min(...ring.map((p) => p[1])));
      expect(lat).toBeLessThan(Math.max(...ring.map((p) => p[1])));
    });
  });
});
