/** A data set's annotations as GeoJSON (core/app-db/annotations-geojson.ts writes it). */
import type { PatchAnnotation, RegionGeometry } from './annotation-changes.js';

export interface RegionFeature {
  type: 'Feature';
  id: string;
  geometry: RegionGeometry;
  properties: { kind: 'region'; id: string; name: string };
}

export interface PatchFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: { kind: 'patch'; id: string } & PatchAnnotation;
}

export interface AnnotationsFeatureCollection {
  type: 'FeatureCollection';
  features: Array<RegionFeature | PatchFeature>;
}
