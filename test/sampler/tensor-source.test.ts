import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { DecodePool } from '../../core/dataset/tiff/pool.js';
import { readRaster } from '../../core/dataset/tiff/reader.js';
import { writeTiff } from '../../core/dataset/tiff/writer.js';
import { loadPatchItems, type PatchItem } from '../../core/sampler/patch-items.js';
import { TensorSource } from '../../core/sampler/tensor-source.js';
import { makeFixture, type Fixture } from './fixture.js';

// The official classification code's statistics (SEN12MS-FACTS.md), typed in independently.
const S2_BANDS = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12];
const S2_MEAN = [1226.4215, 1137.3799, 1139.6792, 1350.9973, 1932.9058, 2211.1584, 2154.9846, 2409.1128, 2001.8622, 1356.0801];
const S2_STD = [741.6254, 740.883, 960.1045, 946.76056, 985.52747, 1082.4341, 1057.7628, 1136.1942, 1132.7898, 991.48016];
const S1_MEAN = [-11.76858, -18.294598];
const S1_STD = [4.525339, 4.3586307];

let fx: Fixture;
let items: PatchItem[];
let pool: DecodePool;
let rasterCalls: ReturnType<typeof vi.spyOn>;

/** Hand-normalised S2 (13 raw bands read directly), [band][pixel] for the 10-band set. */
async function handS2(it: PatchItem): Promise<Float64Array[]> {
  const raw = (await readRaster(it.s2Path)).data;
  return S2_BANDS.map((b, k) => Float64Array.from(raw[b], (v) => (v - S2_MEAN[k]) / S2_STD[k]));
}

async function rawS1(it: PatchItem): Promise<Float32Array[]> {
  return (await readRaster(it.s1Path!)).data as Float32Array[];
}

const s1Norm = (db: number, b: number) => (Math.min(0, Math.max(-25, db)) - S1_MEAN[b]) / S1_STD[b];

beforeAll(async () => {
  fx = await makeFixture({ scenes: 3, patchesPerScene: 4, seed: 7 });
  items = loadPatchItems(fx.catalog);
  pool = new DecodePool({ size: 1 });
  rasterCalls = vi.spyOn(pool, 'readPatch');
});

afterAll(async () => {
  await pool.close();
  await fx.cleanup();
});

describe('TensorSource values', () => {
  it('gives the officially normalised 10 S2 bands, channels last, at size 256', async () => {
    const source = new TensorSource({ size: 256, pool });
    const pick = items.filter((it) => it.s1Path).slice(0, 2);
    const out = await source.load(pick);
    expect(out).toMatchObject({ n: 2, size: 256 });
    expect(out.s2).toHaveLength(2 * 256 * 256 * 10);
    expect(out.s1).toHaveLength(2 * 256 * 256 * 2);
    for (const [n, it] of pick.entries()) {
      const hand = await handS2(it);
      let worst = 0;
      for (let p = 0; p < 256 * 256; p++) {
        for (let c = 0; c < 10; c++) worst = Math.max(worst, Math.abs(out.s2[(n * 65536 + p) * 10 + c] - hand[c][p]));
      }
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('averages 4 x 4 blocks of normalised values at size 64', async () => {
    const source = new TensorSource({ size: 64, pool });
    const it = items.find((x) => x.s1Path)!;
    const out = await source.load([it]);
    const hand = await handS2(it);
    const s1 = await rawS1(it);
    let worst = 0;
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        for (let c = 0; c < 10; c++) {
          let sum = 0;
          for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += hand[c][(4 * y + dy) * 256 + 4 * x + dx];
          worst = Math.max(worst, Math.abs(out.s2[(y * 64 + x) * 10 + c] - sum / 16));
        }
        for (let b = 0; b < 2; b++) {
          let sum = 0;
          for (let dy = 0; dy < 4; dy++) {
            for (let dx = 0; dx < 4; dx++) {
              const v = s1[b][(4 * y + dy) * 256 + 4 * x + dx];
              sum += s1Norm(Number.isNaN(v) ? -25 : v, b);
            }
          }
          worst = Math.max(worst, Math.abs(out.s1[(y * 64 + x) * 2 + b] - sum / 16));
        }
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('clips and z-scores S1, filling NaNs with the clip floor, the mean or a given dB value', async () => {
    const it = items.find((x) => x.s1Path)!;
    const raw = await rawS1(it);
    const nan = raw[0].findIndex(Number.isNaN);
    const finite = raw[0].findIndex((v) => Number.isFinite(v));
    expect(nan).toBeGreaterThanOrEqual(0);
    const at = async (s1Fill: number | 'mean' | undefined) => (await new TensorSource({ size: 256, pool, s1Fill }).load([it])).s1;
    const floor = await at(undefined);
    expect(floor[nan * 2]).toBeCloseTo(s1Norm(-25, 0), 5);
    expect(floor[finite * 2]).toBeCloseTo(s1Norm(raw[0][finite], 0), 5);
    expect(floor[finite * 2 + 1]).toBeCloseTo(s1Norm(raw[1][finite], 1), 5);
    expect((await at('mean'))[nan * 2]).toBeCloseTo(0, 6);
    expect((await at(-5))[nan * 2]).toBeCloseTo(s1Norm(-5, 0), 5);
    expect(floor.every(Number.isFinite)).toBe(true);
  });

  it('gives S1 zeros for a patch without S1 and keeps the batch order', async () => {
    const without = items.find((x) => x.id === fx.withoutS1)!;
    const other = items.find((x) => x.s1Path)!;
    const source = new TensorSource({ size: 8, pool });
    const both = await source.load([other, without]);
    const alone = await source.load([without]);
    const half = 8 * 8 * 2;
    expect(both.s1.subarray(half).every((v) => v === 0)).toBe(true);
    expect(both.s1.subarray(0, half).some((v) => v !== 0)).toBe(true);
    expect(Array.from(both.s2.subarray(8 * 8 * 10))).toEqual(Array.from(alone.s2));
  });

  it('resamples bilinearly when 256 is not a multiple of the size', async () => {
    const it = items[0];
    const out = await new TensorSource({ size: 100, pool }).load([it]);
    const hand = await handS2(it);
    // Output pixel (0, 0) samples input (0.78, 0.78): a bilinear mix of the top-left 2 x 2.
    const s = 0.5 * 2.56 - 0.5;
    const b = hand[3];
    const expected = (b[0] * (1 - s) + b[1] * s) * (1 - s) + (b[256] * (1 - s) + b[257] * s) * s;
    expect(out.s2[3]).toBeCloseTo(expected, 5);
  });
});

describe('TensorSource cache', () => {
  it('does not decode a cached patch again, and decodes a patch asked for twice once', async () => {
    const source = new TensorSource({ size: 16, pool });
    const pick = items.slice(0, 3);
    rasterCalls.mockClear();
    const first = await source.load([pick[0], pick[1], pick[0]]);
    const files = (list: PatchItem[]) => list.reduce((n, it) => n + (it.s1Path ? 2 : 1), 0);
    expect(rasterCalls).toHaveBeenCalledTimes(files(pick.slice(0, 2)));
    const again = await source.load(pick);
    expect(rasterCalls).toHaveBeenCalledTimes(files(pick));
    expect(Array.from(again.s2.subarray(0, 16 * 16 * 20))).toEqual(Array.from(first.s2.subarray(0, 16 * 16 * 20)));
  });

  it('evicts the least recently used patch when the budget is full', async () => {
    const withS1 = items.filter((x) => x.s1Path).slice(0, 3);
    // One patch at size 16 holds 16 * 16 * 12 floats; room for two.
    const source = new TensorSource({ size: 16, pool, cacheBytes: 2 * 16 * 16 * 12 * 4 });
    for (const it of withS1) await source.load([it]);
    rasterCalls.mockClear();
    await source.load([withS1[2], withS1[1]]);
    expect(rasterCalls).not.toHaveBeenCalled();
    await source.load([withS1[0]]);
    expect(rasterCalls).toHaveBeenCalledTimes(2);
  });
});

describe('TensorSource errors', () => {
  it('names a broken file', async () => {
    const broken = join(fx.root, 'broken_s2.tif');
    await writeFile(broken, 'not a TIFF at all');
    const item = { ...items[0], id: 'broken', s2Path: broken };
    const err = await new TensorSource({ size: 8, pool }).load([item]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetFileError);
    expect((err as DatasetFileError).file).toBe(broken);
  });

  it('names a missing file and a file that is not a SEN12MS S2 patch', async () => {
    const missing = { ...items[0], id: 'missing', s2Path: join(fx.root, 'nowhere.tif') };
    await expect(new TensorSource({ size: 8, pool }).load([missing])).rejects.toThrow(missing.s2Path);
    const small = join(fx.root, 'small_s2.tif');
    await writeTiff(small, { width: 16, height: 16, dtype: 'uint16', bands: Array.from({ length: 13 }, () => new Uint16Array(256)) });
    const item = { ...items[0], id: 'small', s2Path: small };
    await expect(new TensorSource({ size: 8, pool }).load([item])).rejects.toThrow(new RegExp(`${small}.*256x256`));
  });

  it('refuses bad options and loads after close', async () => {
    expect(() => new TensorSource({ size: 0, pool })).toThrow(/size/);
    expect(() => new TensorSource({ size: 8, pool, s1Fill: NaN })).toThrow(/s1Fill/);
    const source = new TensorSource({ size: 8, pool });
    await source.close();
    await expect(source.load(items.slice(0, 1))).rejects.toThrow(/closed/);
    // A pool passed in stays open for its owner.
    expect((await new TensorSource({ size: 8, pool }).load(items.slice(0, 1))).n).toBe(1);
  });
});
