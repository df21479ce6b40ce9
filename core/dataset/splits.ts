/**
 * Train/test/validation splits. The official test split is every patch of the 26 hold-out
 * scenes; validation takes whole scenes from train so no place is seen in both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { isRoiSet, parseSceneDir, sceneKey, type PatchRef } from '../common/dataset/names.js';
import { Rng } from '../util/rng.js';
import { packageFile } from '../util/package-root.js';

const HOLDOUT_RESOURCE = join('resources', 'splits', 'holdout-scenes.txt');


/** Parses lines such as "ROIs1158_spring/s1_63"; the sensor prefix does not matter. */
export function parseHoldoutScenes(text: string, file: string): Set<string> {
  const keys = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [roi, dir, ...rest] = line.split('/');
    const scene = dir === undefined ? null : parseSceneDir(dir);
    if (!isRoiSet(roi) || !scene || rest.length > 0) {
      throw new DatasetFileError(file, `line ${i + 1}: "${line}" is not "<ROI set>/<sensor>_<scene>" (e.g. "ROIs1158_spring/s1_63")`);
    }
    keys.add(sceneKey({ roi, scene: scene.scene }));
  });
  return keys;
}

let holdout: ReadonlySet<string> | undefined;

function holdoutSet(): ReadonlySet<string> {
  if (!holdout) {
    const file = packageFile(HOLDOUT_RESOURCE);
    holdout = parseHoldoutScenes(readFileSync(file, 'utf8'), file);
  }
  return holdout;
}

/** Scene keys (see sceneKey) of the official hold-out scenes; the file is read once. */
export function loadHoldoutScenes(): Set<string> {
  return new Set(holdoutSet());
}

export function officialSplit(ref: PatchRef): 'train' | 'test' {
  return holdoutSet().has(sceneKey(ref)) ? 'test' : 'train';
}

/**
 * Whole scenes for validation: round(fraction * scenes), at least one when fraction > 0, drawn
 * with the seed from the distinct train scenes in sorted order (so the input order does not
 * matter). Hold-out scenes are never picked, even when passed in.
 */
export function validationScenes(trainSceneKeys: string[], fraction: number, seed: number): Set<string> {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const test = holdoutSet();
  const scenes = [...new Set(trainSceneKeys)].filter((k) => !test.has(k)).sort();
  const count = fraction === 0 || scenes.length === 0 ? 0 : Math.max(1, Math.round(fraction * scenes.length));
  return new Set(new Rng(seed).shuffle(scenes).slice(0, count));
}

/**
 * The first floor(fraction * n) items and the rest, in list order (the research splits its
 * 1,024 finetuning patches 819 / 205 this way, as Python's int(0.8 * n)). The epsilon keeps
 * e.g. 0.29 * 100 from flooring to 28.
 */
export function splitInOrder<T>(items: T[], fraction: number): { train: T[]; val: T[] } {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`split fraction must be in [0, 1], got ${fraction}`);
  const cut = Math.floor(fraction * items.length + 1e-9);
  return { train: items.slice(0, cut), val: items.slice(cut) };
}
