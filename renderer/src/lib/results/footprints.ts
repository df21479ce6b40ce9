/** Every patch of an evaluation's split with its footprint, paged through `catalog.query`. */
import { MAX_PAGE_LIMIT, type CatalogQuery } from '#common/catalog/query-spec.js';
import type { PatchDetail } from '#common/catalog/patch-types.js';
import type { ApiClient } from '#common/api/contract.js';
import type { EvaluationSplit } from '#common/inference/evaluation.js';

/** Validation patches come from the train split (whole scenes held out by seed). */
function splitFilter(split: EvaluationSplit): Pick<CatalogQuery, 'split'> {
  if (split === 'test') return { split: ['test'] };
  if (split === 'train' || split === 'val') return { split: ['train'] };
  return {};
}

export async function splitPatches(client: ApiClient, dataset: string, split: EvaluationSplit): Promise<PatchDetail[]> {
  const patches: PatchDetail[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_LIMIT) {
    const page = await client.call('catalog.query', {
      dataset,
      query: { ...splitFilter(split), fields: 'full', page: { offset, limit: MAX_PAGE_LIMIT } },
    });
    patches.push(...(page.patches as PatchDetail[]));
    if (page.patches.length < MAX_PAGE_LIMIT || patches.length >= page.total) return patches;
  }
}
