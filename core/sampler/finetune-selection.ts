import type { FinetuneConfig } from '../common/training/finetune-config.js';
import type { SplitName } from '../common/sampler/selection-spec.js';
import type { PatchItem } from './patch-items.js';
import { selectPatches } from './selection.js';

/**
 * The train and val patches of a config. Sensors the model reads must exist: inputs with S1 drop
 * patches that have no S1 file rather than train on zero-filled stand-ins. A `random:N` subset
 * counts training labels; its validation set is drawn from the validation scenes in the research's
 * 80/20 proportion (N/4 patches, fewer if the scenes hold fewer).
 */
export async function finetuneSelection(items: PatchItem[], config: FinetuneConfig, split: SplitName): Promise<PatchItem[]> {
  const base = { ...config.selection, split, requireS1: config.input !== 's2', seed: config.seed };
  const subset = config.selection.subset;
  if (split !== 'val' || subset?.kind !== 'random') return selectPatches(items, base);
  const available = await selectPatches(items, { ...base, subset: { kind: 'all' } });
  const n = Math.min(available.length, Math.ceil(subset.n / 4));
  return selectPatches(items, { ...base, subset: { ...subset, n } });
}
