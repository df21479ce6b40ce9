import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { igbpFractions } from '../../core/common/dataset/labels.js';
import { parsePatchFileName, patchRelPath, SENSORS, type PatchRef } from '../../core/common/dataset/names.js';
import { footprintOf } from '../../core/dataset/footprint.js';
import { checkPatchHeader } from '../../core/dataset/patch-reader.js';
import { officialSplit } from '../../core/dataset/splits.js';
import { readHeader, readRaster } from '../../core/dataset/tiff/reader.js';
import { userCacheDir } from '../../core/util/cache-dir.js';
import { ensureSample, SAMPLE_SPEC, sampleFolderName } from '../../core/synth/sample.js';
import { continentOf } from './continent-boxes.js';

describe('ensureSample', () => {
  let cache: string;
  beforeAll(async () => {
    cache = await mkdtemp(join(tmpdir(), 'sample-cache-'));
  });
  afterAll(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  it('generates the sample once, even for concurrent callers, and reuses it', async () => {
    // A crashed earlier run left an incomplete folder under the final name.
    await mkdir(join(cache, sampleFolderName(), 'ROIs1158_spring'), { recursive: true });
    const [a, b] = await Promise.all([ensureSample({ cacheDir: cache }), ensureSample({ cacheDir: cache })]);
    expect(a).toBe(join(cache, sampleFolderName()));
    expect(b).toBe(a);
    expect(await readdir(cache)).toEqual([sampleFolderName()]);
    const s2 = (await readdir(a, { recursive: true })).filter((f) => /_s2_\d+_p\d+\.tif$/.test(f));
    expect(s2).toHaveLength(SAMPLE_SPEC.scenes * SAMPLE_SPEC.patchesPerScene);

    const marker = join(a, 'kept.txt');
    await writeFile(marker, 'left by the test');
    const before = (await stat(join(a, s2[0]))).mtimeMs;
    expect(await ensureSample({ cacheDir: cache })).toBe(a);
    expect((await stat(join(a, s2[0]))).mtimeMs).toBe(before);
    expect((await stat(marker)).isFile()).toBe(true);
  }, 180_000);

  it('is valid SEN12MS triplets across the world: footprints on every continent, test patches on several, land cover by place', async () => {
    const dir = await ensureSample({ cacheDir: cache });
    const refs: PatchRef[] = (await readdir(dir, { recursive: true }))
      .map((f) => parsePatchFileName(f.split('/').pop()!))
      .filter((p) => p?.sensor === 's2')
      .map((p) => ({ roi: p!.roi, scene: p!.scene, patch: p!.patch }));
    expect(refs).toHaveLength(SAMPLE_SPEC.scenes * SAMPLE_SPEC.patchesPerScene);
    const continents = new Map<string, PatchRef[]>();
    const classShares = new Map<string, number[]>();
    for (const ref of refs) {
      for (const s of SENSORS) {
        const file = join(dir, patchRelPath(ref, s));
        const header = await readHeader(file);
        expect(() => checkPatchHeader(s, header, file)).not.toThrow();
        // The UTM zone and hemisphere of the patch's own place, as in SEN12MS.
        const [lon, lat] = footprintOf(header, file).centroid;
        expect(header.geoKeys[3072]).toBe((lat >= 0 ? 32600 : 32700) + Math.min(60, Math.floor((lon + 180) / 6) + 1));
      }
    }
    for (const ref of refs) {
      const file = join(dir, patchRelPath(ref, 's2'));
      const [lon, lat] = footprintOf(await readHeader(file), file).centroid;
      const continent = continentOf(lon, lat);
      if (!continent) continue;
      continents.set(continent, [...(continents.get(continent) ?? []), ref]);
      const lc = (await readRaster(join(dir, patchRelPath(ref, 'lc')), { bands: [0] })).data[0] as Uint8Array;
      const sums = classShares.get(continent) ?? new Array<number>(17).fill(0);
      igbpFractions(lc).forEach((f, i) => (sums[i] += f));
      classShares.set(continent, sums);
    }
    expect(continents.size).toBe(6);
    const withTest = [...continents].filter(([, rs]) => rs.some((r) => officialSplit(r) === 'test'));
    expect(withTest.length).toBeGreaterThanOrEqual(5);
    // Each continent's land cover, as the mean IGBP fractions of its patches: no two alike.
    const means = [...classShares].map(([c, sums]) => sums.map((v) => v / continents.get(c)!.length));
    for (let a = 0; a < means.length; a++) {
      for (let b = a + 1; b < means.length; b++) expect(means[a].reduce((d, v, i) => d + Math.abs(v - means[b][i]), 0)).toBeGreaterThan(0.4);
    }
  }, 180_000);

  it('names the folder by generator version and spec', () => {
    expect(sampleFolderName()).toMatch(new RegExp(`^sample-v\\d+-${SAMPLE_SPEC.scenes}x${SAMPLE_SPEC.patchesPerScene}-seed${SAMPLE_SPEC.seed}$`));
  });
});

describe('userCacheDir', () => {
  it('prefers $SEN12MS_STUDIO_CACHE, then $XDG_CACHE_HOME, then ~/.cache', () => {
    expect(userCacheDir({ SEN12MS_STUDIO_CACHE: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(userCacheDir({ SEN12MS_STUDIO_CACHE: '', XDG_CACHE_HOME: '/b' })).toBe(join('/b', 'sen12ms-studio'));
    expect(userCacheDir({})).toBe(join(homedir(), '.cache', 'sen12ms-studio'));
  });
});
