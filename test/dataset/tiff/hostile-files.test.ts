/**
 * Files whose size or layout disagrees with their header: refused from the header ranges alone,
 * never read whole, and a compression that does not match the bytes caught by the one-block probe.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../../core/common/util/file-error.js';
import { readCheckedPatchHeader, readLcHistogram, readPatch } from '../../../core/dataset/patch-reader.js';
import { readHeader, readRaster } from '../../../core/dataset/tiff/reader.js';
import { writeTiff } from '../../../core/dataset/tiff/writer.js';
import { tinyTiff } from './tiny-tiff.js';
import { ifdEntries, markDeflate, stripIntoIfd } from './hostile-tiff.js';

let dir: string;
const file = (name: string) => path.join(dir, name);
const N = 256 * 256;

const lcBands = () => Array.from({ length: 4 }, (_, b) => Uint8Array.from({ length: N }, (_, i) => 1 + ((i + b) % 17)));
const s2Bands = () => Array.from({ length: 13 }, (_, b) => Uint16Array.from({ length: N }, (_, i) => (i * (b + 1)) % 10000));
const georef = { epsg: 32633, origin: [500000, 4000000] as [number, number], pixelSize: [10, 10] as [number, number] };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiff-hostile-'));
  await writeTiff(file('lc.tif'), { width: 256, height: 256, dtype: 'uint8', bands: lcBands(), georef });
  // A good LC header, then a sparse hole to 2e9 bytes: no real 2 GB written.
  fs.copyFileSync(file('lc.tif'), file('lc-huge.tif'));
  fs.truncateSync(file('lc-huge.tif'), 2e9);
  fs.copyFileSync(file('lc.tif'), file('lc-strip-in-ifd.tif'));
  stripIntoIfd(file('lc-strip-in-ifd.tif'));
  await writeTiff(file('s2.tif'), { width: 256, height: 256, dtype: 'uint16', bands: s2Bands(), georef });
  fs.copyFileSync(file('s2.tif'), file('s2-fake-deflate.tif'));
  markDeflate(file('s2-fake-deflate.tif'));
  // A tiny TIFF whose one strip claims 1.9e9 bytes (the file is sparse, so the range "exists").
  const tiny = tinyTiff({ width: 4, height: 4, bands: [new Uint16Array(16)] });
  const view = new DataView(tiny.buffer);
  const at = ifdEntries(tiny).get(279)!;
  view.setUint32(at + 8, 1.9e9, true);
  fs.writeFileSync(file('huge-strip.tif'), tiny);
  fs.truncateSync(file('huge-strip.tif'), 2e9);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function reasonOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(DatasetFileError);
  return (err as DatasetFileError).reason;
}

describe('files whose size or layout disagrees with their header', () => {
  it('refuses a 2e9-byte sparse LC file from its header alone, without reading it', async () => {
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 3; i++) {
      expect(await reasonOf(readLcHistogram(file('lc-huge.tif')))).toMatch(/size disagrees with the header: 2000000000 bytes/);
      expect(await reasonOf(readPatch('lc', file('lc-huge.tif')))).toMatch(/size disagrees/);
      expect(await reasonOf(readHeader(file('lc-huge.tif')))).toMatch(/size disagrees/);
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a strip that claims more bytes than its pixels could need', async () => {
    expect(await reasonOf(readRaster(file('huge-strip.tif')))).toMatch(/strip 0 claims 1900000000 bytes, more than its 32 bytes/);
  });

  it('refuses LC strip offsets that point into the image directory (no garbage labels)', async () => {
    expect(await reasonOf(readLcHistogram(file('lc-strip-in-ifd.tif')))).toMatch(/strip 0 \(bytes \d+\.\.\d+\) overlaps the image directory/);
  });

  it('the one-block probe catches an S2 file marked DEFLATE holding raw bytes', async () => {
    // The header alone looks fine; the probe decodes one strip and fails.
    await expect(readHeader(file('s2-fake-deflate.tif'))).resolves.toMatchObject({ bands: 13 });
    expect(await reasonOf(readCheckedPatchHeader('s2', file('s2-fake-deflate.tif')))).toMatch(/corrupt strip 0/);
  });

  it('good files still read, header-probed and whole', async () => {
    await expect(readCheckedPatchHeader('s2', file('s2.tif'))).resolves.toMatchObject({ bands: 13, dtype: 'uint16' });
    const raster = await readPatch('s2', file('s2.tif'), { bands: [3] });
    expect(Array.from(raster.data[0].subarray(0, 4))).toEqual([0, 4, 8, 12]);
    const histogram = await readLcHistogram(file('lc.tif'));
    expect(histogram.reduce((a, b) => a + b, 0)).toBe(N);
  });
});
