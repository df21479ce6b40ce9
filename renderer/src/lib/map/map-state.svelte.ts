/** Map tools other panels drive: the preview draped on the map, and drawing a region. */
import type { RegionGeometry } from '#common/annotations/annotation-changes.js';
import type { MapViewState } from '../location/url-state.js';

export interface Drape {
  patchId: string;
  /** PNG data URL of the preview as shown in the Patch tab. */
  url: string;
  epsg: number | null;
  footprint: [number, number][];
}

export interface MapTools {
  drape: Drape | null;
  /** The Draw interaction is on. */
  drawing: boolean;
  /** A polygon just drawn, waiting for its name. */
  pendingRegion: RegionGeometry | null;
  onlineTiles: boolean;
  /** A patch the map should fly to (set by the list or the Patch tab, cleared by the map). */
  zoomTarget: string | null;
  /** [minLon, minLat, maxLon, maxLat] the map should fit (a results group's extent; cleared by the map). */
  zoomExtent: [number, number, number, number] | null;
  /** The map's centre and zoom once it settles (for the URL fragment). */
  view: MapViewState | null;
  /** A view to show instead of fitting the next data set (from the URL fragment), cleared by the map. */
  restoreView: MapViewState | null;
}

export const mapTools: MapTools = $state({
  drape: null,
  drawing: false,
  pendingRegion: null,
  onlineTiles: false,
  zoomTarget: null,
  zoomExtent: null,
  view: null,
  restoreView: null,
});
