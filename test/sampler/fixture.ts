/** A small synthetic SEN12MS data set, indexed, for the sampler tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { index } from '../../core/catalog/indexer.js';
import { patchId, patchRelPath } from '../../core/common/dataset/names.js';
import { planScenes } from '../../core/synth/scene-plan.js';
import { synthesize, type SynthOptions } from '../../core/synth/synthesize.js';

export interface Fixture {
  root: string;
  catalog: string;
  /** Id of the patch whose S1 file is broken, so the catalog has it without S1. */
  withoutS1: string;
  cleanup(): Promise<void>;
}

export async function makeFixture(spec: Pick<SynthOptions, 'scenes' | 'patchesPerScene' | 'seed'>): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'sampler-test-'));
  const root = join(dir, 'data');
  const catalog = join(dir, 'catalog.db');
  const first = planScenes(spec)[0];
  const victim = { roi: first.roi, scene: first.scene, patch: first.cells[0].patch };
  try {
    await synthesize(root, spec);
    await writeFile(join(root, patchRelPath(victim, 's1')), 'not a TIFF');
    await index(root, { db: catalog, workers: 1 });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { root, catalog, withoutS1: patchId(victim), cleanup: () => rm(dir, { recursive: true, force: true }) };
}
