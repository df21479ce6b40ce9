import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../../core/common/util/file-error.js';
import { HEADER_READ_BYTES, readHeader, readRaster } from '../../../core/dataset/tiff/reader.js';
import { tinyTiff } from './tiny-tiff.js';

let dir: string;
const file = (name: string) => path.join(dir, name);

function ramp(n: number, scale: number): Uint16Array {
  return Uint16Array.from({ length: n }, (_, i) => (i * scale) % 65536);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiff-errors-'));
  // 200x200x2 uint16 = 160 KB of pixels before the directory: beyond the header read.
  fs.writeFileSync(file('ifd-at-end.tif'), tinyTiff({ width: 200, height: 200, bands: [ramp(40000, 3), ramp(40000, 7)], epsg: 32633, origin: [500000, 4000000], noData: '-9999' }));
  fs.writeFileSync(file('small.tif'), tinyTiff({ width: 5, height: 4, bands: [ramp(20, 1)] }));
  fs.writeFileSync(file('not-a-tiff.tif'), 'hello, this is text');
  fs.writeFileSync(file('empty.tif'), '');
  fs.mkdirSync(file('folder.tif'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const STRIP_OFFSETS = 273;
const STRIP_BYTE_COUNTS = 279;

/** A copy of a tiny-tiff file with one single-valued LONG tag set to `value`. */
function withLongTag(bytes: Uint8Array, tag: number, value: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  const ifd = view.getUint32(4, true);
  for (let k = 0; k < view.getUint16(ifd, true); k++) {
    const at = ifd + 2 + 12 * k;
    if (view.getUint16(at, true) === tag) view.setUint32(at + 8, value, true);
  }
  return out;
}

async function failure(p: Promise<unknown>): Promise<DatasetFileError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetFileError);
  return err as DatasetFileError;
}

describe('a directory and tags beyond the first bytes read', () => {
  it('are read from further in the file', async () => {
    expect(fs.statSync(file('ifd-at-end.tif')).size).toBeGreaterThan(HEADER_READ_BYTES);
    const h = await readHeader(file('ifd-at-end.tif'));
    expect([h.width, h.height, h.bands, h.dtype]).toEqual([200, 200, 2, 'uint16']);
    expect(h.geoKeys).toEqual({ 1024: 1, 1025: 1, 3072: 32633 });
    expect(h.tiepoint).toEqual([0, 0, 0, 500000, 4000000, 0]);
    expect(h.noData).toBe(-9999);
  });

  it('pixels of an uncompressed single strip come back exactly', async () => {
    const r = await readRaster(file('ifd-at-end.tif'), { bands: [1], window: { x: 190, y: 1, width: 10, height: 2 } });
    const expected = [190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 390, 391, 392, 393, 394, 395, 396, 397, 398, 399].map((i) => ((i + 200) * 7) % 65536);
    expect(Array.from(r.data[0])).toEqual(expected);
  });
});

describe('a sparse strip (byte count 0, as GDAL writes with SPARSE_OK)', () => {
  it('reads as nodata', async () => {
    const bytes = tinyTiff({ width: 3, height: 2, bands: [Int16Array.from([1, 2, 3, 4, 5, 6])], noData: '-7' });
    const r = await readRaster(withLongTag(bytes, STRIP_BYTE_COUNTS, 0), { window: { x: 1, y: 0, width: 2, height: 2 } });
    expect(Array.from(r.data[0])).toEqual([-7, -7, -7, -7]);
  });

  it('reads as 0 without nodata', async () => {
    const bytes = tinyTiff({ width: 3, height: 2, bands: [Float32Array.from([1, 2, 3, 4, 5, 6])] });
    const r = await readRaster(withLongTag(bytes, STRIP_BYTE_COUNTS, 0));
    expect(Array.from(r.data[0])).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('bad files are DatasetFileErrors naming the file', () => {
  it('missing file', async () => {
    for (const read of [readHeader, readRaster]) {
      const err = await failure(read(file('nope.tif')));
      expect([err.file, err.reason]).toEqual([file('nope.tif'), 'file not found']);
    }
  });

  it('a folder', async () => {
    const err = await failure(readRaster(file('folder.tif')));
    expect(err.reason).toBe('cannot read: is a directory');
  });

  it('text named .tif', async () => {
    for (const read of [readHeader, readRaster]) {
      const err = await failure(read(file('not-a-tiff.tif')));
      expect([err.file, err.reason]).toEqual([file('not-a-tiff.tif'), 'not a TIFF file (bad magic bytes)']);
    }
  });

  it('an empty file', async () => {
    expect((await failure(readHeader(file('empty.tif')))).reason).toBe('empty file');
  });

  it('a file cut anywhere', async () => {
    const whole = fs.readFileSync(file('ifd-at-end.tif'));
    for (const cut of [6, 100, 90_000, whole.length - 30]) {
      const name = file(`cut-${cut}.tif`);
      fs.writeFileSync(name, whole.subarray(0, cut));
      for (const read of [readHeader, readRaster]) {
        const err = await failure(read(name));
        expect(err.file).toBe(name);
        expect(err.reason, `cut at ${cut}`).toMatch(/^(truncated|corrupt)/);
      }
    }
  });

  it('strip data cut off is reported as truncated by the header read already', async () => {
    const small = fs.readFileSync(file('small.tif'));
    const moved = withLongTag(small, STRIP_OFFSETS, small.length - 10);
    const err = await failure(readHeader(moved));
    expect(err.reason).toMatch(/^truncated: strip 0 \(bytes \d+\.\.\d+\) lies beyond the end of the file/);
  });

  it('a directory without a raster', async () => {
    const bytes = new Uint8Array(8 + 2 + 12 + 4);
    const v = new DataView(bytes.buffer);
    bytes.set([0x49, 0x49, 42, 0]);
    v.setUint32(4, 8, true);
    v.setUint16(8, 1, true);
    v.setUint16(10, 256, true); // ImageWidth only
    v.setUint16(12, 3, true);
    v.setUint32(14, 1, true);
    v.setUint16(18, 5, true);
    const err = await failure(readHeader(bytes));
    expect(err.reason).toMatch(/^no raster/);
    expect(err.file).toBe('<memory>');
  });
});

describe('bad read options', () => {
  it('a band the file does not have', async () => {
    await expect(readRaster(file('small.tif'), { bands: [0, 1] })).rejects.toThrow(/bands\[1\] = 1 is not a band of this file \(it has 1: 0\.\.0\)/);
  });

  it('a window outside the image', async () => {
    await expect(readRaster(file('small.tif'), { window: { x: 2, y: 0, width: 4, height: 1 } })).rejects.toThrow(RangeError);
    await expect(readRaster(file('small.tif'), { window: { x: 0, y: 0, width: 0, height: 1 } })).rejects.toThrow(/not inside the 5x4 image/);
  });
});
