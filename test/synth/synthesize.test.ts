import { readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { footprintOf } from '../../core/dataset/footprint.js';
import { igbpFractions } from '../../core/common/dataset/labels.js';
import { OFFICIAL_ROI_SETS, parsePatchFileName, parseSceneDir, patchRelPath, SENSORS, type PatchRef } from '../../core/common/dataset/names.js';
import { checkPatchHeader } from '../../core/dataset/patch-reader.js';
import { officialSplit } from '../../core/dataset/splits.js';
import { readHeader, readRaster } from '../../core/dataset/tiff/reader.js';
import type { RasterHeader, TypedRaster } from '../../core/dataset/tiff/types.js';
import { synthesize, type SynthSummary } from '../../core/synth/synthesize.js';
import { hasRasterio, readWithRasterio } from './ref/gdal.js';

const SPEC = { scenes: 8, patchesPerScene: 6, seed: 3 };
const LCCS_LC = new Set([1, 2, 3, 11, 12, 13, 14, 15, 16, 21, 22, 31, 32, 41, 42, 43, 255]);
const LCCS_LU = new Set([1, 2, 3, 9, 10, 20, 25, 30, 35, 36, 40, 255]);
const LCCS_SH = new Set([1, 2, 3, 10, 20, 27, 30, 40, 50, 51, 255]);

let dir: string;
let summary: SynthSummary;
let patches: PatchRef[];
const headers = new Map<string, RasterHeader>();

const path = (ref: PatchRef, sensor: 's1' | 's2' | 'lc') => join(dir, patchRelPath(ref, sensor));
const key = (ref: PatchRef) => `${ref.roi}/${ref.scene}`;
/** Grid row and column of a patch number (SEN12MS: 29 positions per row). */
const gridOf = (patch: number) => ({ row: Math.floor((patch - 1) / 29), col: (patch - 1) % 29 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'synth-test-'));
  summary = await synthesize(dir, SPEC);
  patches = [];
  for (const roi of await readdir(dir)) {
    for (const sceneDir of await readdir(join(dir, roi))) {
      const scene = parseSceneDir(sceneDir);
      if (scene?.sensor !== 's2') continue;
      for (const name of await readdir(join(dir, roi, sceneDir))) {
        const p = parsePatchFileName(name);
        if (p) patches.push({ roi: p.roi, scene: p.scene, patch: p.patch });
      }
    }
  }
  for (const ref of patches) for (const s of SENSORS) headers.set(path(ref, s), await readHeader(path(ref, s)));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('layout and names', () => {
  it('reports what it wrote', () => {
    expect(summary).toMatchObject({ triplets: 48, scenes: 8, dir });
    expect(patches).toHaveLength(48);
  });

  it('uses only SEN12MS names, every patch with its three sensors', async () => {
    for (const roi of await readdir(dir)) {
      expect(OFFICIAL_ROI_SETS).toContain(roi);
      for (const sceneDir of await readdir(join(dir, roi))) {
        const scene = parseSceneDir(sceneDir)!;
        expect(scene).not.toBeNull();
        for (const name of await readdir(join(dir, roi, sceneDir))) {
          expect(parsePatchFileName(name)).toMatchObject({ roi, sensor: scene.sensor, scene: scene.scene });
        }
      }
    }
    for (const ref of patches) for (const s of SENSORS) expect(headers.has(path(ref, s))).toBe(true);
  });

  it('spreads scenes over the four seasons, with patch numbers in SEN12MS range', () => {
    const scenes = new Set(patches.map(key));
    expect(scenes.size).toBe(8);
    for (const roi of OFFICIAL_ROI_SETS) expect([...scenes].filter((k) => k.startsWith(roi))).toHaveLength(2);
    for (const ref of patches) {
      expect(ref.patch).toBeGreaterThanOrEqual(30);
      expect(ref.patch).toBeLessThanOrEqual(840);
    }
  });

  it('puts some but not most scenes in the official test split', () => {
    const testScenes = new Set(patches.filter((p) => officialSplit(p) === 'test').map(key));
    expect(testScenes.size).toBeGreaterThanOrEqual(1);
    expect(testScenes.size).toBeLessThan(4);
  });

  it('reuses a scene number in another season at another place', () => {
    const byNumber = new Map<number, PatchRef[]>();
    for (const p of patches) byNumber.set(p.scene, [...(byNumber.get(p.scene) ?? []), p]);
    const shared = [...byNumber.values()].find((refs) => new Set(refs.map((r) => r.roi)).size > 1);
    expect(shared).toBeDefined();
    const [a, b] = [shared![0], shared!.find((r) => r.roi !== shared![0].roi)!];
    const fa = footprintOf(headers.get(path(a, 's2'))!, path(a, 's2'));
    const fb = footprintOf(headers.get(path(b, 's2'))!, path(b, 's2'));
    expect(Math.hypot(fa.centroid[0] - fb.centroid[0], fa.centroid[1] - fb.centroid[1])).toBeGreaterThan(0.1);
  });
});

describe('file format', () => {
  it('has SEN12MS dtypes, bands and size, as uncompressed pixel-interleaved strips', () => {
    for (const ref of patches) {
      for (const s of SENSORS) {
        const h = headers.get(path(ref, s))!;
        expect(() => checkPatchHeader(s, h, path(ref, s))).not.toThrow();
        expect(h.layout).toMatchObject({ tiled: false, compression: 1, planarConfig: 1 });
      }
    }
  });

  it('sits in the UTM zone and hemisphere of its place, with 10 m pixels', () => {
    for (const ref of patches) {
      const h = headers.get(path(ref, 's2'))!;
      const epsg = h.geoKeys[3072] as number;
      const f = footprintOf(h, path(ref, 's2'));
      const [lon, lat] = f.centroid;
      expect(epsg).toBe((lat >= 0 ? 32600 : 32700) + Math.min(60, Math.floor((lon + 180) / 6) + 1));
      expect(h.pixelScale!.slice(0, 2)).toEqual([10, 10]);
      for (const s of ['s1', 'lc'] as const) {
        const other = headers.get(path(ref, s))!;
        expect(other.geoKeys[3072]).toBe(epsg);
        expect(other.tiepoint).toEqual(h.tiepoint);
      }
    }
  });

  it('cuts patches on a stride-128 grid whose neighbours overlap', () => {
    let overlapping = 0;
    for (const a of patches) {
      for (const b of patches) {
        if (key(a) !== key(b) || a.patch >= b.patch) continue;
        const ta = headers.get(path(a, 's2'))!.tiepoint!;
        const tb = headers.get(path(b, 's2'))!.tiepoint!;
        const ga = gridOf(a.patch);
        const gb = gridOf(b.patch);
        expect(tb[3] - ta[3]).toBeCloseTo((gb.col - ga.col) * 1280, 6);
        expect(ta[4] - tb[4]).toBeCloseTo((gb.row - ga.row) * 1280, 6);
        const dx = Math.abs(tb[3] - ta[3]);
        const dy = Math.abs(tb[4] - ta[4]);
        if (dx < 2560 && dy < 2560) overlapping++;
      }
    }
    expect(overlapping).toBeGreaterThan(8);
  });

  it('includes an antimeridian or southern scene when the plan puts one there', () => {
    const epsgs = patches.map((ref) => headers.get(path(ref, 's2'))!.geoKeys[3072] as number);
    expect(epsgs.some((e) => e > 32700)).toBe(true);
    expect(epsgs.some((e) => e < 32700)).toBe(true);
  });
});

describe('pixels', () => {
  it('overlapping neighbours agree pixel for pixel in all sensors', async () => {
    const pairs = patches.flatMap((a) => patches.filter((b) => key(a) === key(b) && b.patch === a.patch + 1).map((b) => [a, b] as const));
    expect(pairs.length).toBeGreaterThan(0);
    const [a, b] = pairs[0];
    for (const s of SENSORS) {
      // b is 128 pixels right of a: a's right half is b's left half.
      const ra = await readRaster(path(a, s), { window: { x: 128, y: 0, width: 128, height: 256 } });
      const rb = await readRaster(path(b, s), { window: { x: 0, y: 0, width: 128, height: 256 } });
      ra.data.forEach((band, i) => expect(Buffer.from(band.buffer, band.byteOffset, band.byteLength).equals(bytesOf(rb.data[i]))).toBe(true));
    }
  });

  it('has LC codes in range: IGBP 1..17 and plausible LCCS codes', async () => {
    for (const ref of patches.slice(0, 12)) {
      const lc = await readRaster(path(ref, 'lc'));
      expect(Math.min(...lc.data[0])).toBeGreaterThanOrEqual(1);
      expect(Math.max(...lc.data[0])).toBeLessThanOrEqual(17);
      [LCCS_LC, LCCS_LU, LCCS_SH].forEach((codes, i) => {
        for (const v of new Set(lc.data[i + 1])) expect(codes.has(v)).toBe(true);
      });
    }
  });

  it('has a few NaNs in S1 and none in most pixels', async () => {
    let nans = 0;
    let total = 0;
    for (const ref of patches) {
      const s1 = await readRaster(path(ref, 's1'));
      for (const band of s1.data) {
        total += band.length;
        for (const v of band) if (Number.isNaN(v)) nans++;
      }
    }
    expect(nans).toBeGreaterThan(0);
    expect(nans / total).toBeLessThan(1e-3);
  });

  it('varies labels between patches, with several classes per scene', async () => {
    const dominant = new Set<number>();
    const perScene = new Map<string, Set<number>>();
    for (const ref of patches) {
      const f = igbpFractions((await readRaster(path(ref, 'lc'), { bands: [0] })).data[0] as Uint8Array);
      dominant.add(f.indexOf(Math.max(...f)) + 1);
      const set = perScene.get(key(ref)) ?? new Set<number>();
      f.forEach((v, i) => v > 0 && set.add(i + 1));
      perScene.set(key(ref), set);
    }
    expect(dominant.size).toBeGreaterThanOrEqual(4);
    for (const classes of perScene.values()) expect(classes.size).toBeGreaterThanOrEqual(2);
  });

  it('makes classes separable from either sensor: vegetation NIR/red, water dark in both, urban bright in SAR', async () => {
    const sums: Record<string, { nir: number; red: number; vv: number; n: number }> = {};
    const groupOf = (c: number) => (c === 17 ? 'water' : c === 13 ? 'urban' : [1, 2, 4, 5, 12].includes(c) ? 'vegetation' : null);
    for (const ref of patches) {
      const lc = (await readRaster(path(ref, 'lc'), { bands: [0] })).data[0];
      const s2 = (await readRaster(path(ref, 's2'), { bands: [3, 7] })).data;
      const vv = (await readRaster(path(ref, 's1'), { bands: [0] })).data[0];
      for (let i = 0; i < lc.length; i++) {
        const g = groupOf(lc[i]);
        if (!g || Number.isNaN(vv[i])) continue;
        const s = (sums[g] ??= { nir: 0, red: 0, vv: 0, n: 0 });
        s.red += s2[0][i];
        s.nir += s2[1][i];
        s.vv += vv[i];
        s.n++;
      }
    }
    const mean = (g: string) => ({ ratio: sums[g].nir / sums[g].red, vv: sums[g].vv / sums[g].n, n: sums[g].n });
    const [veg, water, urban] = [mean('vegetation'), mean('water'), mean('urban')];
    expect(Math.min(veg.n, water.n, urban.n)).toBeGreaterThan(1000);
    expect(veg.ratio).toBeGreaterThan(1.8);
    expect(water.ratio).toBeLessThan(0.8);
    expect(water.vv).toBeLessThan(urban.vv - 10);
    expect(water.vv).toBeLessThan(veg.vv - 5);
  });
});

function bytesOf(a: TypedRaster): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe.skipIf(!hasRasterio)('read by GDAL (skipped where /usr/bin/python3 has no rasterio)', () => {
  it('reads a triplet without warnings, with the same pixels and CRS as our reader', async () => {
    const ref = patches[0];
    const reads = await readWithRasterio(SENSORS.map((s) => path(ref, s)));
    for (const [i, s] of SENSORS.entries()) {
      const r = reads[i];
      expect(r.warnings).toEqual([]);
      expect(r.epsg).toBe(headers.get(path(ref, s))!.geoKeys[3072]);
      expect([r.dtype, r.count, r.width, r.height]).toEqual([{ s1: 'float32', s2: 'uint16', lc: 'uint8' }[s], { s1: 2, s2: 13, lc: 4 }[s], 256, 256]);
      const ours = await readRaster(path(ref, s));
      expect(Buffer.from(r.data).equals(Buffer.concat(ours.data.map(bytesOf)))).toBe(true);
    }
  });
});
