import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromArrayBuffer } from 'geotiff';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPED_ARRAYS, type SampleType, type TypedRaster } from '../../../core/dataset/tiff/types.js';
import { encodeTiff, writeTiff, type WriteTiffOptions } from '../../../core/dataset/tiff/writer.js';
import { Rng } from '../../../core/util/rng.js';
import { gdalinfo, hasGdalinfo, hasRasterio, readWithRasterio, type GdalRead } from '../../synth/ref/gdal.js';

const GDAL_TYPE: Record<SampleType, string> = {
  uint8: 'Byte',
  int8: 'Int8',
  uint16: 'UInt16',
  int16: 'Int16',
  uint32: 'UInt32',
  int32: 'Int32',
  float32: 'Float32',
  float64: 'Float64',
};

/** Random samples over the type's whole range, smooth enough that predictors matter; NaNs in floats. */
function randomBands(rng: Rng, dtype: SampleType, count: number, n: number): TypedRaster[] {
  return Array.from({ length: count }, () => {
    const a = new TYPED_ARRAYS[dtype](n);
    for (let i = 0; i < n; i++) {
      if (dtype.startsWith('float')) a[i] = i % 97 === 5 ? NaN : rng.normal() * 1e3;
      else if (dtype.endsWith('8')) a[i] = rng.int(256) - (dtype === 'int8' ? 128 : 0);
      else if (dtype.endsWith('16')) a[i] = rng.int(65536) - (dtype === 'int16' ? 32768 : 0);
      else a[i] = rng.nextU32() - (dtype === 'int32' ? 2 ** 31 : 0);
    }
    return a;
  });
}

interface Case {
  name: string;
  opts: WriteTiffOptions;
  /** What GDAL must report. */
  epsg: number | null;
  transform: number[];
}

const rng = new Rng(7);
const W = 40;
const H = 35;
const cases: Case[] = [];

// Every layout x compression x predictor x planar combination, for an integer and a float type.
for (const dtype of ['uint16', 'float32'] as const) {
  const bands = randomBands(rng, dtype, dtype === 'uint16' ? 13 : 2, W * H);
  for (const layout of ['strips', 'tiles'] as const) {
    for (const planar of [1, 2] as const) {
      for (const [compression, predictor] of [
        ['none', 1],
        ['deflate', 1],
        ['deflate', dtype === 'uint16' ? 2 : 3],
      ] as const) {
        cases.push({
          name: `${dtype} ${layout} planar${planar} ${compression} predictor${predictor}`,
          opts: {
            width: W,
            height: H,
            dtype,
            bands,
            layout,
            tileSize: 16,
            planar,
            compression,
            predictor,
            georef: { epsg: 32633, origin: [500000, 5000000], pixelSize: [10, 10] },
          },
          epsg: 32633,
          transform: [10, 0, 500000, 0, -10, 5000000],
        });
      }
    }
  }
}

// The other sample types, and the georeferencing variants.
const more: [SampleType, number, WriteTiffOptions['georef'], number | null, number[]][] = [
  ['uint8', 4, { epsg: 32701, origin: [391638.47, 5891800.15], pixelSize: [10, 10] }, 32701, [10, 0, 391638.47, 0, -10, 5891800.15]],
  ['int8', 1, { epsg: 32760, origin: [700000, 9000000], pixelSize: [20, 20] }, 32760, [20, 0, 700000, 0, -20, 9000000]],
  ['int16', 3, { epsg: 32601, origin: [200000, 7000000], pixelSize: [10, 10] }, 32601, [10, 0, 200000, 0, -10, 7000000]],
  ['uint32', 1, { epsg: 4326, origin: [10.5, 50.25], pixelSize: [0.001, 0.002] }, 4326, [0.001, 0, 10.5, 0, -0.002, 50.25]],
  ['int32', 2, undefined, null, [1, 0, 0, 0, 1, 0]],
  ['float64', 1, { epsg: 3857, origin: [-1e6, 2e6], pixelSize: [30, 30] }, 3857, [30, 0, -1e6, 0, -30, 2e6]],
];
for (const [dtype, count, georef, epsg, transform] of more) {
  cases.push({
    name: `${dtype} x${count} ${georef && 'epsg' in georef ? `EPSG:${georef.epsg}` : 'no georef'}`,
    opts: { width: W, height: H, dtype, bands: randomBands(rng, dtype, count, W * H), georef },
    epsg,
    transform,
  });
}

// A user-defined Transverse Mercator CRS given as raw GeoKeys (ProjectedCSType 32767).
const userTm: Case = {
  name: 'uint8 user-defined TM via raw GeoKeys',
  opts: {
    width: W,
    height: H,
    dtype: 'uint8',
    bands: randomBands(rng, 'uint8', 1, W * H),
    georef: {
      geoKeys: {
        1024: 1, // projected
        1025: 1, // PixelIsArea
        1026: 'custom TM',
        2048: 4326,
        3072: 32767, // user-defined
        3074: 32767,
        3075: 1, // Transverse Mercator
        3076: 9001,
        3080: 9.5, // natural origin longitude
        3081: 0,
        3082: 300000,
        3083: 0,
        3092: 0.9996,
      },
      tiepoint: [0, 0, 0, 123456, 4567890, 0],
      pixelScale: [5, 5, 0],
    },
  },
  epsg: null,
  transform: [5, 0, 123456, 0, -5, 4567890],
};
cases.push(userTm);

const withNoData: Case = {
  name: 'float32 with GDAL_NODATA nan',
  opts: { ...cases[0].opts, dtype: 'float32', bands: randomBands(rng, 'float32', 2, W * H), noData: NaN, layout: 'strips', planar: 1, compression: 'none', predictor: 1 },
  epsg: 32633,
  transform: [10, 0, 500000, 0, -10, 5000000],
};
cases.push(withNoData);

/** The band-sequential bytes GDAL should return. */
function expectedBytes(bands: TypedRaster[]): Uint8Array {
  const total = bands.reduce((s, b) => s + b.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of bands) {
    out.set(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), at);
    at += b.byteLength;
  }
  return out;
}

let dir: string;
const paths = new Map<Case, string>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'writer-test-'));
  await Promise.all(
    cases.map(async (c, i) => {
      const path = join(dir, `case${i}.tif`);
      paths.set(c, path);
      await writeTiff(path, c.opts);
    }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('encodeTiff read back with geotiff.js', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const bytes = await readFile(paths.get(c)!);
    const tiff = await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const image = await tiff.getImage();
    expect([image.getWidth(), image.getHeight(), image.getSamplesPerPixel()]).toEqual([W, H, c.opts.bands.length]);
    const rasters = (await image.readRasters({ interleave: false })) as unknown as TypedRaster[];
    rasters.forEach((r, b) => {
      expect(r.constructor).toBe(c.opts.bands[b].constructor);
      expect(Buffer.from(r.buffer, r.byteOffset, r.byteLength).equals(Buffer.from(c.opts.bands[b].buffer))).toBe(true);
    });
    if (c.opts.georef && 'geoKeys' in c.opts.georef) {
      const keys = image.getGeoKeys() as Record<string, unknown>;
      expect(keys.ProjNatOriginLongGeoKey).toBe(9.5);
      expect(keys.ProjScaleAtNatOriginGeoKey).toBe(0.9996);
      expect(keys.GTCitationGeoKey).toBe('custom TM');
      expect(keys.ProjCoordTransGeoKey).toBe(1);
    }
  });
});

describe.skipIf(!hasRasterio)('encodeTiff read back by rasterio (skipped where /usr/bin/python3 has no rasterio)', () => {
  let reads: Map<string, GdalRead>;
  beforeAll(async () => {
    const rows = await readWithRasterio([...paths.values()]);
    reads = new Map(rows.map((r) => [r.path, r]));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: exact pixels, dtype, bands, CRS, transform, no warning', (_name, c) => {
    const r = reads.get(paths.get(c)!)!;
    expect(r.warnings).toEqual([]);
    expect([r.dtype, r.count, r.width, r.height]).toEqual([c.opts.dtype, c.opts.bands.length, W, H]);
    expect(r.epsg).toBe(c.epsg);
    for (let i = 0; i < 6; i++) expect(r.transform[i]).toBeCloseTo(c.transform[i], 9);
    expect(Buffer.from(r.data).equals(Buffer.from(expectedBytes(c.opts.bands)))).toBe(true);
  });

  it('keeps the parameters of a user-defined CRS', () => {
    const wkt = reads.get(paths.get(userTm)!)!.wkt!;
    expect(wkt).toContain('Transverse_Mercator');
    expect(wkt).toMatch(/"central_meridian",9\.5/);
    expect(wkt).toMatch(/"false_easting",300000/);
  });

  it('writes GDAL_NODATA', () => {
    expect(reads.get(paths.get(withNoData)!)!.nodata).toBe('nan');
  });
});

describe.skipIf(!hasGdalinfo)('gdalinfo on the written files (skipped where gdalinfo is not installed)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { json, stderr } = await gdalinfo(paths.get(c)!);
    expect(stderr).toBe('');
    expect(json.size).toEqual([W, H]);
    // GDAL before 3.7 reports int8 as Byte with PIXELTYPE=SIGNEDBYTE.
    const oldInt8 = c.opts.dtype === 'int8' && json.bands[0].metadata?.IMAGE_STRUCTURE?.PIXELTYPE === 'SIGNEDBYTE';
    const type = oldInt8 ? 'Byte' : GDAL_TYPE[c.opts.dtype];
    expect(json.bands.map((b) => b.type)).toEqual(c.opts.bands.map(() => type));
    if (c.epsg !== null) expect(json.stac?.['proj:epsg']).toBe(c.epsg);
    const structure = json.metadata?.IMAGE_STRUCTURE ?? {};
    expect(structure.COMPRESSION).toBe(c.opts.compression === 'deflate' ? 'DEFLATE' : undefined);
    if (c.opts.bands.length > 1) expect(structure.INTERLEAVE).toBe((c.opts.planar ?? 1) === 1 ? 'PIXEL' : 'BAND');
    if (c.opts.layout === 'tiles') expect(json.bands[0].block).toEqual([16, 16]);
    else expect(json.bands[0].block[0]).toBe(W);
  });
});

describe('encodeTiff options', () => {
  const base: WriteTiffOptions = { width: 4, height: 3, dtype: 'uint16', bands: [new Uint16Array(12)] };

  it('follows GDAL: strips of about 8 KiB, 13-band 256-wide rows one per strip', () => {
    const bands = Array.from({ length: 13 }, () => new Uint16Array(256 * 256));
    const bytes = encodeTiff({ width: 256, height: 256, dtype: 'uint16', bands });
    // Uncompressed: the file holds the image once plus a small header.
    expect(bytes.length).toBeGreaterThan(256 * 256 * 13 * 2);
    expect(bytes.length).toBeLessThan(256 * 256 * 13 * 2 + 8 * 256 + 4096);
  });

  it.each([
    ['a band of the wrong array type', { bands: [new Int16Array(12)] }, /Uint16Array/],
    ['a band of the wrong length', { bands: [new Uint16Array(11)] }, /11 samples, expected 12/],
    ['no bands', { bands: [] }, /1\.\.65535 bands/],
    ['a predictor without compression', { predictor: 2 }, /needs compression/],
    ['predictor 3 on integers', { compression: 'deflate', predictor: 3 }, /floating-point/],
    ['a tile size not a multiple of 16', { layout: 'tiles', tileSize: 20 }, /multiple of 16/],
    ['a zero width', { width: 0 }, /width/],
    ['a negative pixel size', { georef: { epsg: 32633, origin: [0, 0], pixelSize: [10, -10] } }, /pixelSize/],
    ['an EPSG code out of range', { georef: { epsg: 100000, origin: [0, 0], pixelSize: [1, 1] } }, /EPSG/],
  ] as const)('refuses %s', (_name, patch, message) => {
    expect(() => encodeTiff({ ...base, ...(patch as Partial<WriteTiffOptions>) })).toThrow(message);
  });

  it('predictor 2 on floats is refused', () => {
    expect(() => encodeTiff({ ...base, dtype: 'float32', bands: [new Float32Array(12)], compression: 'deflate', predictor: 2 })).toThrow(/integer/);
  });

  it('does not modify the caller\'s bands (predictors work on a copy)', () => {
    const band = Uint16Array.from({ length: 12 }, (_, i) => i * 1000);
    const copy = band.slice();
    encodeTiff({ ...base, bands: [band], compression: 'deflate', predictor: 2, planar: 2 });
    expect(band).toEqual(copy);
  });
});

describe('writeTiff', () => {
  it('leaves no temporary file and writes nothing when the options are bad', async () => {
    const d = await mkdtemp(join(tmpdir(), 'writer-atomic-'));
    try {
      await writeTiff(join(d, 'ok.tif'), { width: 2, height: 2, dtype: 'uint8', bands: [new Uint8Array(4)] });
      await expect(writeTiff(join(d, 'bad.tif'), { width: 2, height: 2, dtype: 'uint8', bands: [new Uint8Array(3)] })).rejects.toThrow(
        /3 samples/,
      );
      expect(await readdir(d)).toEqual(['ok.tif']);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});
