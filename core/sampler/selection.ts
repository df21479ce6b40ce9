/**
 * Which patches a run trains, validates or tests on: the official split, validation scenes held
 * out of train, then a subset (random, one per scene, non-overlapping) or a user's list.
 */
import { DatasetFileError } from '../common/util/file-error.js';
import { parsePatchFileName, patchId } from '../common/dataset/names.js';
import { readPatchList } from '../dataset/patch-list.js';
import { splitInOrder, validationScenes } from '../dataset/splits.js';
import { nonOverlapping, onePerScene, randomSubset } from '../dataset/subsets.js';
import { Rng } from '../util/rng.js';
import type { PatchItem } from './patch-items.js';
import { DEFAULT_LIST_VAL_FRACTION, DEFAULT_VAL_FRACTION, type PatchSelection, type SplitName } from '../common/sampler/selection-spec.js';

const SPLITS: readonly SplitName[] = ['train', 'val', 'test', 'all'];

/** How many offending names an error message shows. */
const SHOWN = 5;

function sample(names: string[]): string {
  const head = names.slice(0, SHOWN).join(', ');
  return names.length > SHOWN ? `${head}, ... (${names.length} in all)` : `${head} (${names.length})`;
}

function checkSelection(sel: PatchSelection): void {
  if (!SPLITS.includes(sel.split)) throw new RangeError(`split must be one of ${SPLITS.join(', ')}, got "${sel.split}"`);
  if (!Number.isInteger(sel.seed) || sel.seed < 0 || sel.seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..4294967295, got ${sel.seed}`);
  const vf = sel.valFraction ?? DEFAULT_VAL_FRACTION;
  if (!(vf >= 0 && vf < 1)) throw new RangeError(`valFraction must be in [0, 1), got ${vf}`);
}

/**
 * The patches of a selection. Validation scenes are drawn from all train-split scenes of `items`
 * (before requireS1 and the subset), so the train and val selections of one seed never share a
 * scene whatever else differs between them.
 */
export async function selectPatches(items: PatchItem[], sel: PatchSelection): Promise<PatchItem[]> {
  checkSelection(sel);
  const subset = sel.subset ?? { kind: 'all' };
  if (subset.kind === 'list') return fromList(items, sel, subset);
  const pool = ofSplit(items, sel).filter((it) => !sel.requireS1 || it.s1Path !== null);
  // Its own stream, so changing the validation fraction does not redraw the subset's choices.
  const seed = new Rng(sel.seed).fork('subset').nextU32();
  switch (subset.kind) {
    case 'all':
      return pool;
    case 'random': {
      if (!Number.isInteger(subset.n) || subset.n < 0 || subset.n > pool.length) {
        throw new RangeError(`random subset: n must be an integer in [0, ${pool.length}] (patches in split "${sel.split}"), got ${subset.n}`);
      }
      return randomSubset(pool, subset.n, { seed, stratify: subset.stratifyBySeason ? (it) => it.season : undefined });
    }
    case 'one-per-scene':
      return onePerScene(pool, (it) => it.sceneKey, seed);
    case 'non-overlapping':
      return nonOverlapping(pool, (it) => {
        if (!it.footprint) throw new Error(`non-overlapping subset: patch ${it.id} has no footprint (load items with loadPatchItems)`);
        return it.footprint;
      });
  }
}

function ofSplit(items: PatchItem[], sel: PatchSelection): PatchItem[] {
  if (sel.split === 'all') return items;
  if (sel.split === 'test') return items.filter((it) => it.split === 'test');
  const train = items.filter((it) => it.split === 'train');
  const val = validationScenes(train.map((it) => it.sceneKey), sel.valFraction ?? DEFAULT_VAL_FRACTION, sel.seed);
  return train.filter((it) => val.has(it.sceneKey) === (sel.split === 'val'));
}

/**
 * A user's list, in list order. Its train/val cut is taken on the whole list before requireS1 drops
 * anything, so the cut is the research's whatever the local copy lacks. A train/val list must not
 * hold official test patches and a test list only those; 'all' takes the list as it is.
 */
async function fromList(items: PatchItem[], sel: PatchSelection, spec: { file: string; valFraction?: number }): Promise<PatchItem[]> {
  const vf = spec.valFraction ?? DEFAULT_LIST_VAL_FRACTION;
  if (!(vf >= 0 && vf <= 1)) throw new RangeError(`list valFraction must be in [0, 1], got ${vf}`);
  const byId = new Map(items.map((it) => [it.id, it]));
  const names = await readPatchList(spec.file);
  const missing: string[] = [];
  const seen = new Set<string>();
  const repeated: string[] = [];
  const listed: PatchItem[] = [];
  for (const name of names) {
    const id = patchId(parsePatchFileName(name)!);
    const item = byId.get(id);
    if (!item) missing.push(name);
    else if (seen.has(id)) repeated.push(name);
    else {
      seen.add(id);
      listed.push(item);
    }
  }
  if (missing.length > 0) throw new DatasetFileError(spec.file, `patches not in the catalog: ${sample(missing)}`);
  if (repeated.length > 0) throw new DatasetFileError(spec.file, `patches listed more than once: ${sample(repeated)}`);
  const wrong = listed.filter((it) => (sel.split === 'test') !== (it.split === 'test'));
  if (sel.split !== 'all' && wrong.length > 0) {
    const what = sel.split === 'test' ? 'not in the official test split' : 'in the official test split';
    throw new DatasetFileError(spec.file, `split "${sel.split}": patches ${what}: ${sample(wrong.map((it) => it.id))}; use split "all" to take the list as it is`);
  }
  const { train, val } = splitInOrder(listed, 1 - vf);
  const chosen = sel.split === 'train' ? train : sel.split === 'val' ? val : listed;
  return sel.requireS1 ? chosen.filter((it) => it.s1Path !== null) : chosen;
}
