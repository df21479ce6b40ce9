/**
 * A data set's annotations as one GeoJSON FeatureCollection: a feature per region (its polygons,
 * properties `kind: "region"`, `id`, `name`, so the file reads back as regions with
 * readRegionsFile when it holds no patches) and, when the catalog is given, a Point feature per
 * annotated patch at the patch's centroid with its overrides. A patch the catalog does not know
 * (re-indexed without it) keeps its feature with a null geometry rather than being dropped.
 */
import type { Db } from '../catalog/schema.js';
import type { AnnotationsFeatureCollection, PatchFeature, RegionFeature } from '../common/annotations/feature-collection.js';
import type { Annotations } from './annotations.js';

export function exportAnnotationsGeoJson(annotations: Annotations, catalog?: Db): AnnotationsFeatureCollection {
  const features: Array<RegionFeature | PatchFeature> = annotations.regions().map((r) => ({
    type: 'Feature',
    id: r.id,
    geometry: r.geometry,
    properties: { kind: 'region', id: r.id, name: r.name },
  }));
  if (catalog) {
    const centroid = catalog.prepare<[string], { centroid_lon: number; centroid_lat: number }>(
      'SELECT centroid_lon, centroid_lat FROM patches WHERE id = ?',
    );
    for (const { id, ...overrides } of annotations.patches()) {
      const c = centroid.get(id);
      features.push({
        type: 'Feature',
        id,
        geometry: c ? { type: 'Point', coordinates: [c.centroid_lon, c.centroid_lat] } : null,
        properties: { kind: 'patch', id, ...overrides },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}
