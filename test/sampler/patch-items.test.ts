import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogForWrite } from '../../core/catalog/schema.js';
import { patchRelPath, sceneKey } from '../../core/common/dataset/names.js';
import { loadHoldoutScenes } from '../../core/dataset/splits.js';
import { readRaster } from '../../core/dataset/tiff/reader.js';
import { loadPatchItems, type PatchItem } from '../../core/sampler/patch-items.js';
import { makeFixture, type Fixture } from './fixture.js';

// 0-based IGBP value -> simplified class, as published (SEN12MS-FACTS.md).
const DFC = [0, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 6, 8, 9, 10];

let fx: Fixture;
let items: PatchItem[];

beforeAll(async () => {
  fx = await makeFixture({ scenes: 3, patchesPerScene: 4, seed: 7 });
  items = loadPatchItems(fx.catalog);
});

afterAll(() => fx.cleanup());

describe('loadPatchItems', () => {
  it('returns every patch in (roi, scene, patch) order with absolute paths under the data set root', () => {
    expect(items).toHaveLength(12);
    const keys = items.map((it) => [it.roi, it.scene, it.patch] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    expect(keys).toEqual(sorted);
    for (const it of items) {
      expect(it.id).toBe(`${it.roi}_${it.scene}_p${it.patch}`);
      expect(it.sceneKey).toBe(sceneKey(it));
      expect(it.season).toBe(it.roi.split('_')[1]);
      expect(isAbsolute(it.s2Path)).toBe(true);
      expect(it.s2Path).toBe(join(fx.root, patchRelPath(it, 's2')));
      expect(existsSync(it.s2Path)).toBe(true);
      if (it.id === fx.withoutS1) expect(it.s1Path).toBeNull();
      else expect(it.s1Path).toBe(join(fx.root, patchRelPath(it, 's1')));
    }
  });

  it('marks the hold-out scenes as test', () => {
    const holdout = loadHoldoutScenes();
    for (const it of items) expect(it.split).toBe(holdout.has(it.sceneKey) ? 'test' : 'train');
    expect(items.some((it) => it.split === 'test')).toBe(true);
  });

  it('carries labels that agree with the LC file (fractions, >= 0.1 multi-labels, arg-max, 10-class merge)', async () => {
    for (const it of items.slice(0, 4)) {
      const lc = (await readRaster(join(fx.root, patchRelPath(it, 'lc')), { bands: [0] })).data[0];
      const counts = new Array(18).fill(0);
      for (const v of lc) counts[v]++;
      const igbp = counts.slice(1).map((c) => c / lc.length);
      expect(it.igbpFractions.map((f) => f.toFixed(6))).toEqual(igbp.map((f) => f.toFixed(6)));
      expect(it.labelsIgbp).toEqual(igbp.flatMap((f, k) => (f >= 0.1 ? [k + 1] : [])));
      expect(it.labelIgbp).toBe(igbp.indexOf(Math.max(...igbp)) + 1);
      const simple = new Array(10).fill(0);
      igbp.forEach((f, k) => (simple[DFC[k + 1] - 1] += f));
      expect(it.labels).toEqual(simple.flatMap((f, k) => (f >= 0.1 ? [k + 1] : [])));
      expect(it.label).toBe(simple.indexOf(Math.max(...simple)) + 1);
    }
  });

  it('carries a footprint and a centroid inside it', () => {
    for (const it of items) {
      const fp = it.footprint!;
      expect(fp.epsg).toBeGreaterThan(32600);
      const [x0, y0] = fp.crsRing[0];
      const [x1, y1] = fp.crsRing[2];
      // 256 pixels of 10 m.
      expect([x1 - x0, y1 - y0].map((d) => Math.round(d))).toEqual([2560, 2560]);
      const lons = fp.ring.map((p) => p[0]);
      const lats = fp.ring.map((p) => p[1]);
      expect(it.centroid[0]).toBeGreaterThan(Math.min(...lons));
      expect(it.centroid[0]).toBeLessThan(Math.max(...lons));
      expect(it.centroid[1]).toBeGreaterThan(Math.min(...lats));
      expect(it.centroid[1]).toBeLessThan(Math.max(...lats));
    }
  });

  it('refuses files that are not catalogs, naming them', async () => {
    const text = join(fx.root, 'not-a-catalog.db');
    await writeFile(text, 'hello');
    expect(() => loadPatchItems(text)).toThrow(text);
    const empty = join(fx.root, 'empty.db');
    openCatalogForWrite(empty).close();
    expect(() => loadPatchItems(empty)).toThrow(new RegExp(`${empty}.*dataset_root`));
  });
});
