import { describe, expect, it } from 'vitest';
import { readBandHistogram, readRaster } from '../../../core/dataset/tiff/reader.js';
import { encodeTiff, type WriteTiffOptions } from '../../../core/dataset/tiff/writer.js';
import { byteHistogram } from '../../../core/common/util/byte-histogram.js';
import { Rng } from '../../../core/util/rng.js';

function bytesImage(width: number, height: number, bands: number, seed: number): Uint8Array[] {
  const rng = new Rng(seed);
  // Runs of one value, as land cover has, plus scattered other values.
  return Array.from({ length: bands }, (_, b) => Uint8Array.from({ length: width * height }, (_, i) => (rng.next() < 0.2 ? rng.int(256) : ((i >> 5) + b) % 18)));
}

const LAYOUTS: [string, Partial<WriteTiffOptions>][] = [
  ['strips, pixel-interleaved, uncompressed', {}],
  ['strips, DEFLATE with horizontal predictor', { compression: 'deflate', predictor: 2 }],
  ['tiles with padding past the right and bottom edges', { layout: 'tiles', tileSize: 32 }],
  ['tiles, band-sequential, DEFLATE', { layout: 'tiles', tileSize: 16, planar: 2, compression: 'deflate' }],
  ['strips, band-sequential', { planar: 2 }],
];

describe('readBandHistogram', () => {
  it.each(LAYOUTS)('counts a band exactly as decoding it would (%s)', async (_, layout) => {
    const [width, height] = [45, 37];
    const bands = bytesImage(width, height, 4, 3);
    const file = encodeTiff({ width, height, dtype: 'uint8', bands, ...layout });
    for (const band of [0, 2]) {
      const decoded = (await readRaster(file, { bands: [band] })).data[0] as Uint8Array;
      const histogram = await readBandHistogram(file, band);
      expect(Array.from(histogram)).toEqual(Array.from(byteHistogram(decoded)));
      expect(histogram.reduce((a, c) => a + c, 0)).toBe(width * height);
    }
  });

  it('lets the caller refuse the file from its header, and refuses non-byte images', async () => {
    const file = encodeTiff({ width: 4, height: 4, dtype: 'uint8', bands: bytesImage(4, 4, 1, 1) });
    await expect(readBandHistogram(file, 0, () => { throw new Error('not land cover'); })).rejects.toThrow('not land cover');
    await expect(readBandHistogram(file, 1)).rejects.toThrow(/not a band/);
    const words = encodeTiff({ width: 4, height: 4, dtype: 'uint16', bands: [new Uint16Array(16)] });
    await expect(readBandHistogram(words, 0)).rejects.toThrow(/uint8/);
  });
});

describe('byteHistogram', () => {
  it('counts every stride-th byte from start, adding to what is there', () => {
    const bytes = Uint8Array.from([1, 9, 1, 9, 2, 9, 1, 9, 3]);
    expect(Array.from(byteHistogram(bytes, 0, 2).subarray(0, 4))).toEqual([0, 3, 1, 1]);
    const into = new Uint32Array(256);
    into[9] = 5;
    expect(byteHistogram(bytes, 1, 2, into)[9]).toBe(9);
    expect(byteHistogram(new Uint8Array(0)).reduce((a, c) => a + c, 0)).toBe(0);
  });
});
