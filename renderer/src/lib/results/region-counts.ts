/**
 * How many catalog patches of each split have their centre inside each drawn region: what an
 * empty region's reason (emptyGroupReason) tells the user to evaluate on instead. The evaluation
 * counts a patch in a region by its centroid, so this counts the same way.
 */
import type { AnnotationRegion } from '#common/annotations/annotation-changes.js';
import type { ApiClient } from '#common/api/contract.js';
import { MAX_PAGE_LIMIT } from '#common/catalog/query-spec.js';
import type { PatchSummary } from '#common/catalog/patch-types.js';
import { pointInPolygonsTest, type Polygon } from '#common/geo/point-in-polygon.js';
import type { SplitCounts } from '#common/metrics/empty-group.js';

function polygonsOf(region: AnnotationRegion): Polygon[] {
  const g = region.geometry;
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown as Polygon[];
}

/** [minLon, minLat, maxLon, maxLat] of the region, clamped to what a catalog bbox accepts. */
export function regionBbox(region: AnnotationRegion): [number, number, number, number] {
  const points = polygonsOf(region).flat(2);
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const clamp = (v: number, limit: number) => Math.max(-limit, Math.min(limit, v));
  return [clamp(Math.min(...lons), 180), clamp(Math.min(...lats), 90), clamp(Math.max(...lons), 180), clamp(Math.max(...lats), 90)];
}

/** Patches whose centroid lies inside the region, per split. */
export function countInside(region: AnnotationRegion, patches: readonly Pick<PatchSummary, 'centroid' | 'split'>[]): SplitCounts {
  const inside = pointInPolygonsTest(polygonsOf(region));
  const counts: SplitCounts = { train: 0, test: 0 };
  for (const p of patches) if (inside(p.centroid)) counts[p.split]++;
  return counts;
}

export async function splitCountsInRegion(client: ApiClient, dataset: string, region: AnnotationRegion): Promise<SplitCounts> {
  const patches: PatchSummary[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_LIMIT) {
    const page = await client.call('catalog.query', { dataset, query: { bbox: regionBbox(region), page: { offset, limit: MAX_PAGE_LIMIT } } });
    patches.push(...page.patches);
    if (page.patches.length < MAX_PAGE_LIMIT || patches.length >= page.total) return countInside(region, patches);
  }
}
