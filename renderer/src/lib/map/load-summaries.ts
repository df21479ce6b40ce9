import { MAX_PAGE_LIMIT, type CatalogQuery } from '#common/catalog/query-spec.js';
import type { PatchSummary } from '#common/catalog/patch-types.js';
import type { AnnotationFilter, ApiClient } from '#common/api/contract.js';

export interface SummaryRequest {
  dataset: string;
  query: CatalogQuery;
  annotation?: AnnotationFilter;
}

/**
 * Every patch summary matching a query, page by page (MAX_PAGE_LIMIT a call), handing each page
 * over as it arrives so the map fills in while the rest loads. Stops early, returning false,
 * once `stale()` says a newer request replaced this one.
 */
export async function loadSummaries(
  client: ApiClient,
  request: SummaryRequest,
  onPage: (patches: PatchSummary[], loaded: number, total: number) => void,
  stale: () => boolean = () => false,
): Promise<boolean> {
  let offset = 0;
  for (;;) {
    const page = await client.call('catalog.query', {
      ...request,
      query: { ...request.query, fields: 'summary', page: { offset, limit: MAX_PAGE_LIMIT } },
    });
    if (stale()) return false;
    offset += page.patches.length;
    onPage(page.patches, offset, page.total);
    if (page.patches.length < MAX_PAGE_LIMIT || offset >= page.total) return true;
  }
}
