import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { checkPatchHeader, readLc, readS1, readS2 } from '../../core/dataset/patch-reader.js';
import type { RasterHeader } from '../../core/dataset/tiff/types.js';
import { tinyTiff } from './tiff/tiny-tiff.js';

const N = 256 * 256;
let dir: string;
const at = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patch-reader-'));
  const vv = Float32Array.from({ length: N }, (_, i) => (i === 1000 ? NaN : -10 - (i % 13)));
  const vh = Float32Array.from({ length: N }, (_, i) => -20 + (i % 5));
  fs.writeFileSync(at('s1.tif'), tinyTiff({ width: 256, height: 256, bands: [vv, vh] }));
  fs.writeFileSync(at('s2.tif'), tinyTiff({ width: 256, height: 256, bands: Array.from({ length: 13 }, (_, b) => Uint16Array.from({ length: N }, (_, i) => 100 * b + (i % 97))) }));
  fs.writeFileSync(at('lc.tif'), tinyTiff({ width: 256, height: 256, bands: Array.from({ length: 4 }, (_, b) => Uint8Array.from({ length: N }, (_, i) => 1 + ((i + b) % 17))) }));
  fs.writeFileSync(at('small-s2.tif'), tinyTiff({ width: 128, height: 256, bands: Array.from({ length: 13 }, () => new Uint16Array(N / 2)) }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function reason(p: Promise<unknown>): Promise<string> {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DatasetFileError);
  return (err as DatasetFileError).reason;
}

describe('sensor readers', () => {
  it('readS1 returns VV and VH with NaNs kept', async () => {
    const r = await readS1(at('s1.tif'));
    expect([r.dtype, r.bands, r.width, r.height]).toEqual(['float32', [0, 1], 256, 256]);
    expect(r.data[0][1000]).toBeNaN();
    expect([r.data[0][1001], r.data[1][7]]).toEqual([-10 - (1001 % 13), -20 + 2]);
  });

  it('readS2 passes options through', async () => {
    const r = await readS2(at('s2.tif'), { bands: [12, 1], window: { x: 250, y: 255, width: 6, height: 1 } });
    const i0 = 255 * 256 + 250;
    expect(Array.from(r.data[0])).toEqual([0, 1, 2, 3, 4, 5].map((k) => 1200 + ((i0 + k) % 97)));
    expect(r.data[1][0]).toBe(100 + (i0 % 97));
  });

  it('readLc reads the four label bands', async () => {
    const r = await readLc(at('lc.tif'));
    expect(r.data.map((band) => band[20])).toEqual([1 + (20 % 17), 1 + (21 % 17), 1 + (22 % 17), 1 + (23 % 17)]);
  });

  it('a file of another sensor is refused, naming what differs', async () => {
    expect(await reason(readS2(at('lc.tif')))).toBe('expected 13 bands (S2), found 4');
    expect(await reason(readLc(at('s1.tif')))).toBe('expected 4 bands (LC), found 2');
    expect(await reason(readS2(at('small-s2.tif')))).toBe('expected 256x256 pixels (S2), found 128x256');
  });
});

describe('checkPatchHeader', () => {
  const header: RasterHeader = {
    width: 256, height: 256, bands: 2, dtype: 'float32', geoKeys: {},
    layout: { tiled: false, blockWidth: 256, blockHeight: 8, compression: 1, predictor: 1, planarConfig: 1 },
  };

  it('accepts a SEN12MS S1 header', () => {
    expect(() => checkPatchHeader('s1', header, 'x.tif')).not.toThrow();
  });

  it('refuses another pixel type with the file named', () => {
    let err: unknown;
    try {
      checkPatchHeader('s1', { ...header, dtype: 'float64' }, 'a/b.tif');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetFileError);
    expect(err).toMatchObject({ file: 'a/b.tif', reason: 'expected float32 pixels (S1), found float64' });
  });
});
