/** Which patches a run uses, as a config records it (core/sampler/selection.ts selects them). */
import type { JsonSchema } from '../util/json-schema.js';

export type SplitName = 'train' | 'val' | 'test' | 'all';

export type SubsetSpec =
  | { kind: 'all' }
  | { kind: 'random'; n: number; stratifyBySeason?: boolean }
  | { kind: 'one-per-scene' }
  | { kind: 'non-overlapping' }
  /** In list order; train = the first (1 - valFraction), val = the rest (default 0.2: 819/205 of 1,024). */
  | { kind: 'list'; file: string; valFraction?: number };

export interface PatchSelection {
  split: SplitName;
  /** Whole scenes held out from train for validation (reference code: scenes by a fixed seed). */
  valFraction?: number;
  subset?: SubsetSpec;
  /** Drop patches without S1 (sensor pairs and fusion need it). */
  requireS1?: boolean;
  seed: number;
}

/** Whole scenes of train held out for validation, and a list's own validation cut (819/205 of 1,024). */
export const DEFAULT_VAL_FRACTION = 0.1;
export const DEFAULT_LIST_VAL_FRACTION = 0.2;

/**
 * The selection with every default written out (validation fraction, subset, a list's own
 * cut), as a run records it: the defaults above then never decide a recorded run silently.
 */
export function withSelectionDefaults<T extends { valFraction?: number; subset?: SubsetSpec }>(sel: T): T & { valFraction: number; subset: SubsetSpec } {
  const subset = sel.subset ?? { kind: 'all' };
  return {
    ...sel,
    valFraction: sel.valFraction ?? DEFAULT_VAL_FRACTION,
    subset: subset.kind === 'list' ? { ...subset, valFraction: subset.valFraction ?? DEFAULT_LIST_VAL_FRACTION } : subset,
  };
}

/** A subset's text form as a settings field: parseSubsetSyntax checks what the schema cannot. */
export const SUBSET_TEXT_SCHEMA = {
  type: 'string',
  minLength: 1,
  description: 'all | random:N | random-seasons:N | one-per-scene | non-overlapping | list:<file>',
} as const satisfies JsonSchema;

/**
 * The text form of a subset, shared by the CLI's `--subset` and the app's job specs:
 * `all | random:N | random-seasons:N | one-per-scene | non-overlapping | list:<file>`. The list
 * file is returned as written; core/sampler/subset-text.ts resolves it against the working folder.
 */
export function parseSubsetSyntax(text: string | undefined): SubsetSpec {
  if (text === undefined || text === 'all') return { kind: 'all' };
  if (text === 'one-per-scene' || text === 'non-overlapping') return { kind: text };
  const m = /^(random|random-seasons):(\d+)$/.exec(text);
  if (m) return { kind: 'random', n: Number(m[2]), stratifyBySeason: m[1] === 'random-seasons' };
  if (text.startsWith('list:') && text.length > 5) return { kind: 'list', file: text.slice(5) };
  throw new Error(`expected all, random:N, random-seasons:N, one-per-scene, non-overlapping or list:<file>, got "${text}"`);
}
