/**
 * Why a group of an evaluation holds no patch, in words a user can act on. Only a drawn region
 * can be empty (scenes and seasons are made from the scored patches); the usual cause is that
 * the region lies on patches of another split than the one evaluated (the official test split
 * is 26 hold-out scenes, so most places hold train patches only).
 */
import type { EvaluationSplit } from '../inference/evaluation.js';

/** Patches of the data set whose centre lies inside the group's region, per catalog split. */
export interface SplitCounts {
  train: number;
  test: number;
}

const SPLIT_WORDS: Record<EvaluationSplit, string> = {
  test: 'test-split',
  train: 'train-split',
  val: 'validation',
  all: '',
};

const lieInside = (n: number, word: string) => `${n.toLocaleString('en')} ${word} ${n === 1 ? 'patch lies' : 'patches lie'} inside`;

/** `inside` null: the region's patches could not be counted (a region since deleted, say). */
export function emptyGroupReason(split: EvaluationSplit, inside: SplitCounts | null): string {
  const none = `no ${SPLIT_WORDS[split] ? `${SPLIT_WORDS[split]} ` : ''}patches inside this region`;
  if (inside === null) return `${none} (a patch counts when its centre is inside)`;
  if (inside.train + inside.test === 0) return 'no patch of this data set has its centre inside this region: draw it over the patches on the map';
  const others: string[] = [];
  if (split !== 'train' && inside.train > 0) {
    const why = split === 'val' ? ' (validation takes whole train scenes chosen by seed, none of them here)' : '';
    others.push(`${lieInside(inside.train, 'train-split')}${why}: evaluate on split 'train' or 'all'`);
  }
  if (split !== 'test' && inside.test > 0) others.push(`${lieInside(inside.test, 'test-split')}: evaluate on split 'test' or 'all'`);
  return others.length > 0 ? `${none}; ${others.join('; ')}` : none;
}
