/**
 * The types of the renderer's shared state, apart from state.svelte.ts so plain modules (and
 * their Node tests, which cannot compile runes) can import them.
 */
import type { ApiClient, DatasetInfo } from '#common/api/contract.js';

export type ColourBy = 'label' | 'split' | 'annotation' | 'prediction';

/** A GeoJSON polygon feature of a choropleth: `value` in [0, 1], `n` patches in the group; an empty group has value null and says why in `reason`. */
export interface OverlayFeature {
  type: 'Feature';
  id?: string | number;
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: { value: number | null; name: string; n: number; reason?: string };
}

export interface Overlay {
  title: string;
  /** EPSG:4326 (lon/lat degrees). */
  features: { type: 'FeatureCollection'; features: OverlayFeature[] };
  /** What `value` measures, shown under the ramp (e.g. "sample Jaccard"). */
  legend: string;
  /** What the legend's metric means (its title on hover). */
  definition?: string;
}

export interface AppState {
  client: ApiClient | null;
  dataset: DatasetInfo | null;
  /** The patch shown in the Patch tab. */
  selectedId: string | null;
  /** Click or box selection on the map (selectedId is one of them when set from the map). */
  selectedIds: string[];
  colourBy: ColourBy;
  overlay: Overlay | null;
  predictions: Record<string, { correct: boolean }> | null;
  /** The visible error banner; null hides it. */
  error: string | null;
}
