import { basename } from 'node:path';
import { parsePatchFileName, patchId } from '../common/dataset/names.js';
import { readPatchList } from '../dataset/patch-list.js';
import type { PatchItem } from '../sampler/patch-items.js';
import type { SubsetSpec } from '../common/sampler/selection-spec.js';
import { packageFile } from '../util/package-root.js';
import type { SmallRowLabels } from './experiment-results.js';
import { FINETUNE_INPUTS, type FinetuneInput } from '../common/training/finetune-config.js';

/**
 * The labelled patches of the research's 1,024 rows: Supervised (1024) and every MoCo row, which
 * the draft finetunes on 1k labels.
 */

/** The research's own 1,024 training patches (SEN12MS-FACTS.md), shipped with the app. */
export function researchLabelList(): string {
  return packageFile('resources', 'splits', 'train_list_1024.txt');
}

export interface LabelRule {
  /** The list the rule takes when the catalog holds all of it (default: researchLabelList()). */
  list: string;
  /** Labels the user chose instead of the rule. */
  given?: SubsetSpec;
  /** Training patches a finetune on `input` can draw from (its selection without a subset). */
  available(input: FinetuneInput): Promise<number>;
}

/**
 * Given labels as they are. Otherwise the list, cut 80/20 in list order, when the catalog holds
 * every patch of it, so that the figures compare with the draft's; else a seeded random draw of
 * as many patches (fewer where an input has fewer training patches), which the note says.
 */
export async function smallRowLabels(items: readonly PatchItem[], rule: LabelRule): Promise<SmallRowLabels> {
  const every = (subset: SubsetSpec) => Object.fromEntries(FINETUNE_INPUTS.map((i) => [i, subset])) as SmallRowLabels['subsets'];
  if (rule.given) return { subsets: every(rule.given), note: `${describe(rule.given)} (as given)` };

  const names = await readPatchList(rule.list);
  const ids = new Set(items.map((it) => it.id));
  const held = names.filter((name) => ids.has(patchId(parsePatchFileName(name)!))).length;
  const file = basename(rule.list);
  if (held === names.length) return { subsets: every({ kind: 'list', file: rule.list }), note: describe({ kind: 'list', file: rule.list }) };

  const counts = new Map<FinetuneInput, number>();
  for (const input of FINETUNE_INPUTS) counts.set(input, Math.min(names.length, await rule.available(input)));
  const subsets = Object.fromEntries(FINETUNE_INPUTS.map((i) => [i, { kind: 'random', n: counts.get(i)! }])) as SmallRowLabels['subsets'];
  const why = held === 0 ? `${file} not in this catalog` : `${file} only partly in this catalog: ${count(held)} of its ${count(names.length)} patches`;
  return { subsets, note: `random ${countsText(counts)} (${why})` };
}

function describe(subset: SubsetSpec): string {
  if (subset.kind === 'random') return `random ${count(subset.n)}`;
  if (subset.kind === 'list') return `${basename(subset.file)}, cut 80/20 in list order`;
  return subset.kind;
}

/** "1,024", or "8 for s2, 7 for s1 and s1s2" where the inputs differ. */
function countsText(counts: Map<FinetuneInput, number>): string {
  const byCount = new Map<number, FinetuneInput[]>();
  for (const [input, n] of counts) byCount.set(n, [...(byCount.get(n) ?? []), input]);
  if (byCount.size === 1) return count([...byCount.keys()][0]);
  return [...byCount].map(([n, inputs]) => `${count(n)} for ${inputs.join(' and ')}`).join(', ');
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
