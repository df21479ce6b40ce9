/**
 * Writes a synthetic data set in the exact SEN12MS format:
 * `<ROIset>/<sensor>_<scene>/<ROIset>_<sensor>_<scene>_p<patch>.tif` for s1, s2 and lc,
 * 256 x 256 patches with 10 m pixels in the UTM zone of the place, uncompressed strips.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { patchRelPath, type PatchRef, type Sensor } from '../common/dataset/names.js';
import { writeTiff, type WriteTiffOptions } from '../dataset/tiff/writer.js';
import { cutPatch, renderScene, type SceneRaster } from './scene-raster.js';
import { PATCH_SIZE } from '../dataset/patch-reader.js';
import { PIXEL_SIZE, patchOrigin, planScenes, type ScenePlan } from './scene-plan.js';

export interface SynthOptions {
  scenes: number;
  patchesPerScene: number;
  seed: number;
  /** Called after each written triplet. */
  onProgress?: (done: number, total: number) => void;
}

export interface SynthSummary {
  triplets: number;
  scenes: number;
  seconds: number;
  dir: string;
}

function patchFiles(plan: ScenePlan, raster: SceneRaster, row: number, col: number): Record<Sensor, WriteTiffOptions> {
  const origin = patchOrigin(plan, { row, col, patch: 0 });
  const common = {
    width: PATCH_SIZE,
    height: PATCH_SIZE,
    georef: { epsg: plan.epsg, origin, pixelSize: [PIXEL_SIZE, PIXEL_SIZE] as [number, number] },
  };
  return {
    s1: { ...common, dtype: 'float32', bands: cutPatch(raster, raster.s1, row, col) },
    s2: { ...common, dtype: 'uint16', bands: cutPatch(raster, raster.s2, row, col) },
    lc: { ...common, dtype: 'uint8', bands: cutPatch(raster, raster.lc, row, col) },
  };
}

export async function synthesize(outDir: string, opts: SynthOptions): Promise<SynthSummary> {
  const start = performance.now();
  const plans = planScenes(opts);
  const dir = resolve(outDir);
  const total = plans.reduce((s, p) => s + p.cells.length, 0);
  let done = 0;
  for (const plan of plans) {
    const raster = renderScene(plan);
    const sensors: Sensor[] = ['s1', 's2', 'lc'];
    await Promise.all(sensors.map((s) => mkdir(join(dir, dirname(patchRelPath({ roi: plan.roi, scene: plan.scene, patch: 0 }, s))), { recursive: true })));
    for (const cell of plan.cells) {
      const ref: PatchRef = { roi: plan.roi, scene: plan.scene, patch: cell.patch };
      const files = patchFiles(plan, raster, cell.row, cell.col);
      await Promise.all(sensors.map((s) => writeTiff(join(dir, patchRelPath(ref, s)), files[s])));
      opts.onProgress?.(++done, total);
    }
  }
  return { triplets: total, scenes: plans.length, seconds: (performance.now() - start) / 1000, dir };
}
