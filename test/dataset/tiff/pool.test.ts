import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../../core/common/util/file-error.js';
import { DecodePool } from '../../../core/dataset/tiff/pool.js';
import { readHeader, readRaster } from '../../../core/dataset/tiff/reader.js';
import { writeTiff } from '../../../core/dataset/tiff/writer.js';
import { summarizeTriplet, type TripletPaths } from '../../../core/dataset/triplet-summary.js';
import { tinyTiff } from './tiny-tiff.js';

let dir: string;
const files: string[] = [];
const pools: DecodePool[] = [];

function pool(opts?: ConstructorParameters<typeof DecodePool>[0]): DecodePool {
  const p = new DecodePool(opts);
  pools.push(p);
  return p;
}

/** A SEN12MS-shaped triplet (the summary checks patch formats), with a broken S1. */
let triplet: TripletPaths;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'decode-pool-'));
  const N = 256 * 256;
  const georef = { epsg: 32633, origin: [500000, 4000000] as [number, number], pixelSize: [10, 10] as [number, number] };
  triplet = { s2: path.join(dir, 's2.tif'), s1: path.join(dir, 's1.tif'), lc: path.join(dir, 'lc.tif') };
  await writeTiff(triplet.s2, { width: 256, height: 256, georef, dtype: 'uint16', bands: Array.from({ length: 13 }, () => new Uint16Array(N)) });
  fs.writeFileSync(triplet.s1!, 'not a tiff');
  await writeTiff(triplet.lc!, { width: 256, height: 256, georef, dtype: 'uint8', bands: [0, 1, 2, 3].map((b) => new Uint8Array(N).fill(b + 1)) });
  const n = 40 * 30;
  const specs = [
    { bands: [Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? NaN : i / 3)), Float32Array.from({ length: n }, (_, i) => -i)] },
    { bands: Array.from({ length: 3 }, (_, b) => Uint16Array.from({ length: n }, (_, i) => i * (b + 1))) },
    { bands: [Uint8Array.from({ length: n }, (_, i) => i % 17)] },
  ];
  specs.forEach((spec, k) => {
    const file = path.join(dir, `f${k}.tif`);
    fs.writeFileSync(file, tinyTiff({ width: 40, height: 30, epsg: 32601 + k, origin: [1000 * k, 2000], ...spec }));
    files.push(file);
  });
  fs.writeFileSync(path.join(dir, 'text.tif'), 'not a tiff');
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('DecodePool', () => {
  it('gives what the reader gives, for headers and for rasters with options', async () => {
    const p = pool({ size: 2 });
    const opts = { bands: [0], window: { x: 3, y: 4, width: 20, height: 10 } };
    for (const file of files) {
      expect(await p.readHeader(file)).toEqual(await readHeader(file));
      expect(await p.readRaster(file)).toEqual(await readRaster(file));
      const r = await p.readRaster(file, opts);
      expect(r).toEqual(await readRaster(file, opts));
      expect(r.data[0].length).toBe(200);
    }
  }, 30_000);

  it('reads a SEN12MS patch with its header checked in the worker, refusing the wrong sensor by name', async () => {
    const p = pool({ size: 1 });
    const lc = await p.readPatch('lc', triplet.lc!, { bands: [0] });
    expect(lc).toEqual(await readRaster(triplet.lc!, { bands: [0] }));
    await expect(p.readPatch('s2', triplet.lc!)).rejects.toMatchObject({ name: 'DatasetFileError', file: triplet.lc, reason: 'expected 13 bands (S2), found 4' });
    await expect(p.readPatch('s1', triplet.s1!)).rejects.toMatchObject({ name: 'DatasetFileError', file: triplet.s1 });
  });

  it('runs many requests at once on fewer workers, each answered with its own file', async () => {
    const p = pool({ size: 2 });
    const jobs = Array.from({ length: 30 }, (_, i) => files[i % files.length]);
    const results = await Promise.all(jobs.map((f, i) => (i % 2 ? p.readHeader(f) : p.readRaster(f))));
    const direct = await Promise.all(files.map((f) => Promise.all([readRaster(f), readHeader(f)])));
    results.forEach((res, i) => expect(res).toEqual(direct[i % files.length][i % 2]));
  }, 30_000);

  it('passes DatasetFileError across the thread boundary with file and reason', async () => {
    const p = pool({ size: 1 });
    const missing = path.join(dir, 'missing.tif');
    for (const [file, reason] of [
      [missing, 'file not found'],
      [path.join(dir, 'text.tif'), 'not a TIFF file (bad magic bytes)'],
    ]) {
      const err = await p.readRaster(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatasetFileError);
      expect(err).toMatchObject({ file, reason });
    }
    await expect(p.readRaster(files[0], { bands: [5] })).rejects.toThrow(RangeError);
    expect((await p.readHeader(files[1])).bands).toBe(3);
  }, 30_000);

  it('a worker crash fails only the request it was running; the others and later ones succeed', async () => {
    const p = pool({ size: 1, workerModule: new URL('./crashing-worker.ts', import.meta.url) });
    const crash = path.join(dir, 'crash.tif');
    const settled = await Promise.allSettled([p.readHeader(files[0]), p.readHeader(crash), p.readHeader(files[1]), p.readRaster(files[2])]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason.message).toMatch(/decode worker died \(boom\) while reading .*crash\.tif/);
    expect((await p.readHeader(files[2])).bands).toBe(1);
  }, 30_000);

  it('summarizes a triplet in a worker as summarizeTriplet does in this thread, per-file problems included', async () => {
    const p = pool({ size: 1 });
    const summary = await p.readTriplet(triplet);
    expect(summary).toEqual(await summarizeTriplet(triplet));
    expect(summary.s1).toMatchObject({ ok: false, error: { name: 'DatasetFileError', file: triplet.s1 } });
    expect(summary.lc?.ok && summary.lc.value[0]).toBe(1);
  }, 30_000);

  it('a worker dying on a triplet rejects it naming the S2 file; the next triplet is answered', async () => {
    const p = pool({ size: 1, workerModule: new URL('./crashing-worker.ts', import.meta.url) });
    const crash = { s2: path.join(dir, 'crash.tif') };
    const settled = await Promise.allSettled([p.readTriplet(crash), p.readTriplet(triplet)]);
    expect((settled[0] as PromiseRejectedResult).reason.message).toMatch(/decode worker died \(boom\) while reading .*crash\.tif/);
    expect(settled[1]).toEqual({ status: 'fulfilled', value: await summarizeTriplet(triplet) });
  }, 30_000);

  it('start() starts the workers ahead of requests, which are answered as usual', async () => {
    const p = pool({ size: 2 });
    p.start();
    p.start();
    expect(await p.readHeader(files[0])).toEqual(await readHeader(files[0]));
  }, 30_000);

  it('close rejects what is pending and later requests', async () => {
    const p = pool({ size: 1 });
    const pending = Promise.allSettled(files.map((f) => p.readRaster(f)));
    await p.close();
    expect((await pending).every((s) => s.status === 'rejected')).toBe(true);
    await expect(p.readHeader(files[0])).rejects.toThrow(/closed/);
  }, 30_000);

  it('rejects a size that is not a positive integer', () => {
    expect(() => new DecodePool({ size: 0 })).toThrow(/positive integer/);
    expect(() => new DecodePool({ size: 1.5 })).toThrow(/positive integer/);
  });
});
