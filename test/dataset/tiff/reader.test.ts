import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canDecodeBlocks, decodeBlocks } from '../../../core/dataset/tiff/block-raster.js';
import { parseTiffDirectory } from '../../../core/dataset/tiff/directory.js';
import { readWholeFile } from '../../../core/dataset/tiff/file-bytes.js';
import { decodeWithGeotiff } from '../../../core/dataset/tiff/geotiff-raster.js';
import { readHeader, readRaster } from '../../../core/dataset/tiff/reader.js';
import { cropBand, firstDifference, GDAL_TOOLS, makeFixtures, VARIANTS, ZSTD, type Fixture } from './gdal-fixtures.js';

const DTYPE_ARRAYS = { uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array } as const;

describe.skipIf(!GDAL_TOOLS)('reader against rasterio (needs /usr/bin/python3 with rasterio, and gdal_translate)', () => {
  let dir: string;
  const fixtures = new Map<string, Fixture>();

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiff-reader-'));
    for (const f of makeFixtures(dir)) fixtures.set(f.name, f);
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe.each(VARIANTS.map((v) => [v.name, v] as const))('%s', (name, v) => {
    it('header matches rasterio and the layout asked of gdal_translate', async () => {
      const f = fixtures.get(name)!;
      const h = await readHeader(f.file);
      expect([h.width, h.height, h.bands, h.dtype]).toEqual([f.ref.width, f.ref.height, f.ref.count, f.ref.dtype]);
      expect(h.layout).toEqual({
        tiled: f.tiled,
        blockWidth: f.ref.block[1],
        blockHeight: f.ref.block[0],
        compression: f.compression,
        predictor: f.predictor,
        planarConfig: f.planarConfig,
      });
      expect(h.geoKeys[3072]).toBe(f.ref.epsg);
      const [a, , c, , e, fy] = f.ref.transform;
      expect(h.tiepoint).toEqual([0, 0, 0, c, fy, 0]);
      expect(h.pixelScale).toEqual([a, -e, 0]);
      if (f.ref.nodata === null) expect(h.noData).toBeUndefined();
      else if (f.ref.nodata === 'nan') expect(h.noData).toBeNaN();
      else expect(h.noData).toBe(f.ref.nodata);
    });

    it('all pixels match rasterio', async () => {
      const f = fixtures.get(name)!;
      const r = await readRaster(f.file);
      expect(r.bands).toEqual(f.pixels.map((_, i) => i));
      expect([r.width, r.height, r.dtype]).toEqual([f.ref.width, f.ref.height, f.ref.dtype]);
      r.data.forEach((band, b) => {
        expect(band).toBeInstanceOf(DTYPE_ARRAYS[f.ref.dtype as keyof typeof DTYPE_ARRAYS]);
        expect(firstDifference(band, f.pixels[b]), `band ${b}`).toBe(-1);
      });
    });

    it('a band subset in a window crossing block boundaries matches rasterio', async () => {
      const f = fixtures.get(name)!;
      const window = { x: 13, y: 5, width: 50, height: 40 };
      const bands = [f.ref.count - 1, 0];
      const r = await readRaster(f.file, { bands, window });
      expect([r.width, r.height, r.bands]).toEqual([50, 40, bands]);
      bands.forEach((b, i) => expect(firstDifference(r.data[i], cropBand(f.pixels[b], f.ref.width, window)), `band ${b}`).toBe(-1));
    });

    it('goes to the block decoder unless its compression is one only geotiff.js knows', async () => {
      const d = await parseTiffDirectory(readWholeFile(fixtures.get(name)!.file));
      expect(canDecodeBlocks(d)).toBe(v.compression !== ZSTD);
    });

    // geotiff.js applies predictors to big-endian blocks without swapping them first.
    it.skipIf(v.compression === ZSTD || (!v.littleEndian && v.predictor !== 1))('the block decoder and geotiff.js agree', async () => {
      const f = fixtures.get(name)!;
      const bytes = readWholeFile(f.file);
      const d = await parseTiffDirectory(bytes);
      const window = { x: 31, y: 15, width: 3, height: 20 };
      const bands = f.pixels.map((_, i) => i).reverse();
      const fast = await decodeBlocks(d, bytes.head, f.file, bands, window);
      const general = await decodeWithGeotiff(d, f.file, bands, window);
      fast.forEach((band, i) => expect(firstDifference(band, general[i]), `band ${bands[i]}`).toBe(-1));
    });
  });

  it.each([
    'u16-tiles-deflate-p2-planar2',
    'u16-strips-none-p1-planar2-be',
    'f32-strips-none-p1-planar1-be',
    'f32-strips-none-p1-planar1',
  ])('reads %s from bytes at any alignment as from the path, leaving the bytes as they were', async (name) => {
    const f = fixtures.get(name)!;
    const file = fs.readFileSync(f.file);
    const original = Uint8Array.from(file);
    for (const shift of [0, 1, 2]) {
      const bytes = Buffer.alloc(file.length + shift).subarray(shift);
      bytes.set(file);
      expect(await readHeader(bytes)).toEqual(await readHeader(f.file));
      const r = await readRaster(bytes);
      r.data.forEach((band, b) => expect(firstDifference(band, f.pixels[b]), `shift ${shift}, band ${b}`).toBe(-1));
      expect(Buffer.compare(bytes, original), `shift ${shift}`).toBe(0);
    }
  });

  it('a corrupt DEFLATE block is a DatasetFileError naming the tile', async () => {
    const f = fixtures.get('u8-tiles-deflate-p1-planar1')!;
    const bytes = Uint8Array.from(fs.readFileSync(f.file));
    const d = await parseTiffDirectory(readWholeFile(f.file));
    bytes.fill(0xff, d.blockOffsets[2], d.blockOffsets[2] + d.blockByteCounts[2]);
    await expect(readRaster(bytes)).rejects.toMatchObject({ name: 'DatasetFileError', reason: expect.stringMatching(/^corrupt tile 2: /) });
  });
});
