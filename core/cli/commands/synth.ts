import { intOption, parseCommandLine, UsageError } from '../args.js';
import { progressBar } from '../progress.js';
import { MAX_PATCHES_PER_SCENE } from '../../synth/scene-plan.js';
import { synthesize } from '../../synth/synthesize.js';

export const summary =
  'Writes a synthetic data set in the exact SEN12MS format (S1/S2/LC GeoTIFF triplets), deterministic per seed; prints one JSON line.';

export const usage = 'sen12ms-studio synth <out-dir> [--scenes N] [--patches-per-scene M] [--seed S]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    scenes: { type: 'string' },
    'patches-per-scene': { type: 'string' },
    seed: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(`expected one output folder, got ${positionals.length} arguments`);
  const scenes = intOption(values.scenes, 'scenes', 8);
  const patchesPerScene = intOption(values['patches-per-scene'], 'patches-per-scene', 6);
  const seed = intOption(values.seed, 'seed', 1);
  if (scenes < 1) throw new UsageError(`--scenes must be at least 1, got ${scenes}`);
  if (patchesPerScene < 1 || patchesPerScene > MAX_PATCHES_PER_SCENE) {
    throw new UsageError(`--patches-per-scene must be in 1..${MAX_PATCHES_PER_SCENE}, got ${patchesPerScene}`);
  }
  if (seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed must be in 0..4294967295, got ${seed}`);
  const bar = progressBar('synth');
  const result = await synthesize(positionals[0], { scenes, patchesPerScene, seed, onProgress: (done, total) => bar.update(done, total) });
  bar.done();
  process.stdout.write(`${JSON.stringify({ ...result, seconds: Math.round(result.seconds * 100) / 100 })}\n`);
  return 0;
}
