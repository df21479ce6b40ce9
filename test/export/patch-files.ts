/**
 * SEN12MS-shaped patches for the export tests, rewritten by GDAL where gdal_translate is installed
 * (tiled, deflate with a predictor), and their raw bands as GDAL reads them, so the ONNX and
 * PyTorch references never go through this app's TIFF reader.
 */
import { spawnSync } from 'node:child_process';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { PATCH_SIZE, readS1, readS2 } from '../../core/dataset/patch-reader.js';
import { writeTiff } from '../../core/dataset/tiff/writer.js';
import { Rng } from '../../core/util/rng.js';

export const GDAL = spawnSync('gdal_translate', ['--version'], { stdio: 'ignore' }).status === 0;

export interface PatchFiles {
  s2: string;
  s1: string;
}

const PIXELS = PATCH_SIZE * PATCH_SIZE;

/**
 * One S2 (uint16, 13 bands) and one S1 (float32, VV and VH in dB) patch: smooth fields plus
 * noise, S1 with NaNs and values beyond the [-25, 0] clip on both sides.
 */
export async function writePatches(dir: string, seed: number): Promise<PatchFiles> {
  const rng = new Rng(seed);
  const field = (lo: number, hi: number) => {
    const [fx, fy, phase] = [rng.uniform(0.01, 0.08), rng.uniform(0.01, 0.08), rng.uniform(0, 6)];
    return Float64Array.from({ length: PIXELS }, (_, i) => {
      const t = 0.5 + 0.35 * Math.sin(fx * (i % PATCH_SIZE) + phase) * Math.cos(fy * Math.floor(i / PATCH_SIZE)) + rng.uniform(-0.15, 0.15);
      return lo + (hi - lo) * t;
    });
  };
  const s2 = Array.from({ length: 13 }, () => Uint16Array.from(field(200, 4500), Math.round));
  const s1 = [field(-32, 4), field(-38, -2)].map((band) => Float32Array.from(band, (v) => (rng.next() < 0.03 ? Number.NaN : v)));
  const georef = { epsg: 32633, origin: [500000, 5000000] as [number, number], pixelSize: [10, 10] as [number, number] };
  const files = { s2: join(dir, 'ROIs1158_spring_s2_1_p30.tif'), s1: join(dir, 'ROIs1158_spring_s1_1_p30.tif') };
  await writeTiff(files.s2, { width: PATCH_SIZE, height: PATCH_SIZE, dtype: 'uint16', bands: s2, georef });
  await writeTiff(files.s1, { width: PATCH_SIZE, height: PATCH_SIZE, dtype: 'float32', bands: s1, georef });
  if (GDAL) {
    for (const [path, predictor] of [[files.s2, '2'], [files.s1, '3']]) {
      gdal(['-q', '-co', 'TILED=YES', '-co', 'COMPRESS=DEFLATE', '-co', `PREDICTOR=${predictor}`, path, `${path}.gdal.tif`]);
      await rename(`${path}.gdal.tif`, path);
    }
  }
  return files;
}

/** The given bands (1-based, as GDAL numbers them) of a patch, band after band, as float32. */
export async function rawBands(path: string, bands: readonly number[]): Promise<Float32Array> {
  if (GDAL) {
    const out = `${path}.${bands.join('-')}.raw`;
    gdal(['-q', '-of', 'ENVI', '-co', 'INTERLEAVE=BSQ', '-ot', 'Float32', ...bands.flatMap((b) => ['-b', String(b)]), path, out]);
    const bytes = await readFile(out);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const raster = await (path.includes('_s1_') ? readS1 : readS2)(path);
  const out = new Float32Array(bands.length * PIXELS);
  bands.forEach((b, k) => out.set(raster.data[b - 1], k * PIXELS));
  return out;
}

function gdal(args: string[]): void {
  const result = spawnSync('gdal_translate', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`gdal_translate ${args.join(' ')}: ${result.stderr}`);
}
