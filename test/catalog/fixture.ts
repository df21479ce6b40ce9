/** Small synthetic data sets for catalog tests: generated once per test file, copied per case. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePatchFileName, type PatchRef } from '../../core/common/dataset/names.js';
import { synthesize } from '../../core/synth/synthesize.js';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sen12ms-${prefix}-`));
}

/** Synthesizes `scenes` x `patchesPerScene` triplets into a new folder under `parent`. */
export async function syntheticDataset(parent: string, scenes: number, patchesPerScene: number, seed = 11): Promise<string> {
  const dir = path.join(parent, `synth-${scenes}x${patchesPerScene}-${seed}`);
  await synthesize(dir, { scenes, patchesPerScene, seed });
  return dir;
}

export function copyDataset(src: string, dest: string): string {
  fs.cpSync(src, dest, { recursive: true });
  return dest;
}

/** The S2-keyed patches of a data set folder, sorted as the catalog sorts them. */
export function s2Patches(dir: string): PatchRef[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => parsePatchFileName(path.basename(f)))
    .filter((p) => p?.sensor === 's2')
    .map((p) => ({ roi: p!.roi, scene: p!.scene, patch: p!.patch }))
    .sort((a, b) => (a.roi < b.roi ? -1 : a.roi > b.roi ? 1 : a.scene - b.scene || a.patch - b.patch));
}
