/**
 * The map overlay of an evaluation grouped by scene, season or drawn region: one polygon feature
 * per group with its headline metric as `value`, the figure the research reports for the scheme,
 * named and defined by metricTerm (common/metrics/report-types.ts) as the headline and table are.
 * A scene is the convex hull of its patches' footprints; a season, whose scenes lie on every
 * continent, is the union of its scenes' hulls (a hull of the whole season would cover oceans); a
 * drawn region is the annotation region's own geometry.
 */
import type { AnnotationRegion } from '#common/annotations/annotation-changes.js';
import type { PatchDetail } from '#common/catalog/patch-types.js';
import { sceneKey } from '#common/dataset/names.js';
import { headlineOf, metricTerm, type ClassificationReport, type GroupReport, type HeadlineMetric } from '#common/metrics/report-types.js';
import type { Overlay, OverlayFeature } from '../app-types.js';

export type GroupBy = 'scene' | 'season' | 'region';

type Point = [number, number];

/**
 * Counter-clockwise hull, closed (first point repeated), by Andrew's monotone chain; fewer than
 * three distinct points give the points themselves, which a map still draws as a thin shape.
 */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...new Map(points.map((p) => [`${p[0]},${p[1]}`, p])).values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return [...sorted, ...sorted.slice(0, 1)];
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (pts: Point[]) => {
    const out: Point[] = [];
    for (const p of pts) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  const hull = [...half(sorted), ...half([...sorted].reverse())];
  return [...hull, hull[0]];
}

function sceneHulls(patches: readonly PatchDetail[]): Map<string, { season: string; ring: Point[] }> {
  const points = new Map<string, { season: string; points: Point[] }>();
  for (const p of patches) {
    const key = sceneKey(p);
    const entry = points.get(key) ?? { season: p.season, points: [] };
    entry.points.push(...p.footprint);
    points.set(key, entry);
  }
  return new Map([...points].map(([key, e]) => [key, { season: e.season, ring: convexHull(e.points) }]));
}

/** Headline metric of the groups' reports (all of one scheme): the figure the overlay, table and headline name. */
export function groupsMetric(groups: readonly GroupReport<ClassificationReport>[]): HeadlineMetric | null {
  const scored = groups.find((g) => g.report);
  return scored?.report ? headlineOf(scored.report).metric : null;
}

/**
 * One feature per group with a place: a scored group valued by its headline metric, an empty
 * drawn region (value null) with the reason from `reasons` (emptyGroupReason of
 * common/metrics/empty-group.ts) so the map can say it. A group whose place is unknown (a region
 * since deleted, a scene outside the patches given) is left off the map; the table still lists it.
 */
export function choroplethOverlay(
  groups: readonly GroupReport<ClassificationReport>[],
  by: GroupBy,
  patches: readonly PatchDetail[],
  regions: readonly AnnotationRegion[],
  reasons: ReadonlyMap<string, string> = new Map(),
): Overlay {
  const hulls = sceneHulls(by === 'region' ? [] : patches);
  const geometryOf = (name: string): OverlayFeature['geometry'] | null => {
    if (by === 'region') return regions.find((r) => r.name === name)?.geometry ?? null;
    if (by === 'scene') {
      const ring = hulls.get(name)?.ring;
      return ring ? { type: 'Polygon', coordinates: [ring] } : null;
    }
    const rings = [...hulls.values()].filter((h) => h.season === name).map((h) => [h.ring]);
    return rings.length > 0 ? { type: 'MultiPolygon', coordinates: rings } : null;
  };
  const features: OverlayFeature[] = [];
  for (const g of groups) {
    const geometry = geometryOf(g.group);
    if (!geometry) continue;
    const properties: OverlayFeature['properties'] = g.report
      ? { value: headlineOf(g.report).value, name: g.group, n: g.n }
      : { value: null, name: g.group, n: g.n, reason: reasons.get(g.group) ?? 'no patches in this group' };
    features.push({ type: 'Feature', id: g.group, geometry, properties });
  }
  const metric = groupsMetric(groups);
  const term = metric ? metricTerm(metric) : null;
  return {
    title: `Per ${by}`,
    features: { type: 'FeatureCollection', features },
    legend: term?.title ?? 'no group holds a patch',
    ...(term ? { definition: term.definition } : {}),
  };
}

/** [minLon, minLat, maxLon, maxLat] of a group's geometry on the overlay, for the map to zoom to; null when it is not drawn. */
export function groupExtent(overlay: Overlay | null, group: string): [number, number, number, number] | null {
  const feature = overlay?.features.features.find((f) => f.properties.name === group);
  if (!feature) return null;
  const points = (feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates).flat(2);
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}
