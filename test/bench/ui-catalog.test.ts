import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSyntheticCatalog } from '../../bench/ui-catalog.js';
import { queryPatches } from '../../core/catalog/query.js';
import { openCatalogForRead } from '../../core/catalog/schema.js';
import { signedArea2 } from '../../core/dataset/footprint.js';

describe('the UI benchmark catalog', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ui-catalog-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'catalog.sqlite');
  const { scenes } = writeSyntheticCatalog(file, dir, 2000, 7);
  const db = openCatalogForRead(file);
  afterAll(() => db.close());

  it('holds exactly the rows asked for, in whole scenes of up to 784 patches', () => {
    expect(queryPatches(db, { page: { offset: 0, limit: 0 } }).total).toBe(2000);
    expect(scenes).toBe(Math.ceil(2000 / 784));
  });

  it('rows are what the app reads: closed counter-clockwise footprints around their centroid, labels 1..10', () => {
    const { patches } = queryPatches(db, { fields: 'full', page: { offset: 0, limit: 2000 } });
    expect(new Set(patches.map((p) => p.id)).size).toBe(2000);
    for (const p of patches) {
      const ring = p.footprint;
      expect(ring[0]).toEqual(ring.at(-1));
      expect(signedArea2(ring.slice(0, -1))).toBeGreaterThan(0);
      const lons = ring.map((c) => c[0]);
      const lats = ring.map((c) => c[1]);
      expect(p.centroid[0]).toBeGreaterThan(Math.min(...lons));
      expect(p.centroid[0]).toBeLessThan(Math.max(...lons));
      expect(p.centroid[1]).toBeGreaterThan(Math.min(...lats));
      expect(p.centroid[1]).toBeLessThan(Math.max(...lats));
      expect(p.label).toBeGreaterThanOrEqual(1);
      expect(p.label).toBeLessThanOrEqual(10);
      expect(p.labels).toContain(p.label);
    }
  });

  it('a map-view box finds the patches inside it through the R-tree', () => {
    const [first] = queryPatches(db, { page: { offset: 0, limit: 1 } }).patches;
    const [lon, lat] = first.centroid;
    const near = queryPatches(db, { bbox: [lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01] });
    expect(near.patches.map((p) => p.id)).toContain(first.id);
    expect(near.total).toBeLessThan(50);
  });
});
