/**
 * The map overlay of an evaluation grouped by scene, season or drawn region: one polygon feature
 * per group with its headline metric as `value`, the figure the research reports for the scheme.
 * A scene is the convex hull of its patches' footprints; a season, whose scenes lie on every
 * continent, is the union of its scenes' hulls (a hull of the whole season would cover oceans); a
 * drawn region is the annotation region's own geometry.
 */
import type { AnnotationRegion } from '#common/annotations/annotation-changes.js';
import type { PatchDetail } from '#common/catalog/patch-types.js';
import { sceneKey } from '#common/dataset/names.js';
import { headlineOf, METRIC_TITLES, type ClassificationReport, type GroupReport } from '#common/metrics/report-types.js';
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

/**
 * Groups that hold no patch, or whose place is unknown (a region drawn elsewhere and since
 * deleted, a scene outside the patches given), are left off the map; the table still lists them.
 */
export function choroplethOverlay(
  title: string,
  groups: readonly GroupReport<ClassificationReport>[],
  by: GroupBy,
  patches: readonly PatchDetail[],
  regions: readonly AnnotationRegion[],
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
  let metric = 'accuracy';
  for (const g of groups) {
    if (!g.report) continue;
    const geometry = geometryOf(g.group);
    if (!geometry) continue;
    const headline = headlineOf(g.report);
    metric = METRIC_TITLES[headline.metric];
    features.push({ type: 'Feature', id: g.group, geometry, properties: { value: headline.value, name: g.group, n: g.n } });
  }
  return { title, features: { type: 'FeatureCollection', features }, legend: `${metric} per ${by}` };
}
