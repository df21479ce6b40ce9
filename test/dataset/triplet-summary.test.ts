import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHeader } from '../../core/dataset/tiff/reader.js';
import { writeTiff, type WriteTiffOptions } from '../../core/dataset/tiff/writer.js';
import { summarizeTriplet, type FileResult } from '../../core/dataset/triplet-summary.js';

const N = 256 * 256;
const georef = { epsg: 32633, origin: [500000, 4000000] as [number, number], pixelSize: [10, 10] as [number, number] };
let dir = '';
const file = (name: string) => path.join(dir, `${name}.tif`);

/** LC band 1: a quarter class 2, half class 10, an eighth class 17, an eighth no class (0). */
function lcBand1(): Uint8Array {
  const band = new Uint8Array(N);
  band.fill(2, 0, N / 4);
  band.fill(10, N / 4, (3 * N) / 4);
  band.fill(17, (3 * N) / 4, (7 * N) / 8);
  return band;
}

function write(name: string, opts: Omit<WriteTiffOptions, 'width' | 'height' | 'georef'>): Promise<void> {
  return writeTiff(file(name), { width: 256, height: 256, georef, ...opts });
}

function failure(result: FileResult<unknown> | undefined): { name: string; file?: string; reason?: string } {
  if (!result || result.ok) throw new Error(`expected a failed file, got ${JSON.stringify(result)}`);
  return result.error;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triplet-summary-'));
  await write('s2', { dtype: 'uint16', bands: Array.from({ length: 13 }, () => new Uint16Array(N).fill(1000)) });
  await write('s1', { dtype: 'float32', bands: [new Float32Array(N).fill(-12), new Float32Array(N).fill(-19)] });
  // The other LC bands hold classes too, so a summary reading the wrong band would show it.
  await write('lc', { dtype: 'uint8', bands: [lcBand1(), ...[1, 2, 3].map(() => new Uint8Array(N).fill(5))] });
  await write('lc-tiled-deflate', { dtype: 'uint8', bands: [lcBand1(), ...[1, 2, 3].map(() => new Uint8Array(N).fill(5))], layout: 'tiles', compression: 'deflate' });
  await write('s1-3-bands', { dtype: 'float32', bands: [0, 1, 2].map(() => new Float32Array(N)) });
  await write('lc-uint16', { dtype: 'uint16', bands: [0, 1, 2, 3].map(() => new Uint16Array(N).fill(10)) });
  fs.writeFileSync(file('text'), 'not a TIFF at all\n');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('summarizeTriplet', () => {
  it('gives the S2 header, a checked S1 and the IGBP fractions of LC band 1', async () => {
    const summary = await summarizeTriplet({ s2: file('s2'), s1: file('s1'), lc: file('lc') });
    expect(summary.s2).toEqual({ ok: true, value: await readHeader(file('s2')) });
    expect(summary.s1).toEqual({ ok: true, value: null });
    if (!summary.lc?.ok) throw new Error('LC failed');
    // Over the 7/8 of the pixels that hold a class: 2/7 class 2, 4/7 class 10, 1/7 class 17.
    const expected = new Array(17).fill(0);
    expected[1] = 2 / 7;
    expected[9] = 4 / 7;
    expected[16] = 1 / 7;
    summary.lc.value.forEach((f, i) => expect(f).toBeCloseTo(expected[i], 12));
  });

  it('reads LC band 1 from any layout the reader decodes (tiled DEFLATE here)', async () => {
    const strips = await summarizeTriplet({ s2: file('s2'), lc: file('lc') });
    const tiles = await summarizeTriplet({ s2: file('s2'), lc: file('lc-tiled-deflate') });
    expect(tiles.lc).toEqual(strips.lc);
  });

  it('leaves no slot for a missing partner', async () => {
    const summary = await summarizeTriplet({ s2: file('s2') });
    expect(Object.keys(summary)).toEqual(['s2']);
  });

  it('puts each file problem in its own slot and still reads the other files', async () => {
    const summary = await summarizeTriplet({ s2: file('missing'), s1: file('s1-3-bands'), lc: file('lc-uint16') });
    expect(failure(summary.s2)).toMatchObject({ name: 'DatasetFileError', file: file('missing'), reason: 'file not found' });
    expect(failure(summary.s1).reason).toMatch(/expected 2 bands \(S1\), found 3/);
    expect(failure(summary.lc).reason).toMatch(/expected uint8 pixels \(LC\), found uint16/);

    const mixed = await summarizeTriplet({ s2: file('text'), s1: file('s1'), lc: file('lc') });
    expect(failure(mixed.s2).reason).toMatch(/not a TIFF/);
    expect(mixed.s1?.ok).toBe(true);
    expect(mixed.lc?.ok).toBe(true);
  });

  it('checks S2 as S2: an S1 file in the S2 slot fails', async () => {
    const summary = await summarizeTriplet({ s2: file('s1') });
    expect(failure(summary.s2).reason).toMatch(/expected 13 bands \(S2\), found 2/);
  });
});
