/**
 * What the map shows about itself: a metric scale bar, where the cursor is (and which patch's UTM
 * grid it is in), and room for the legend when the view is fit to the data.
 */
import type { FeatureLike } from 'ol/Feature.js';
import type Map from 'ol/Map.js';
import type { Extent } from 'ol/extent.js';
import ScaleLine from 'ol/control/ScaleLine.js';
import type Layer from 'ol/layer/Layer.js';
import { toLonLat } from 'ol/proj.js';
import type { CursorPosition } from './coordinates.js';

export function scaleLine(): ScaleLine {
  return new ScaleLine({ units: 'metric', minWidth: 80 });
}

/**
 * The padding (top, right, bottom, left) of a fit to the data, in pixels: `clearRight` pixels on
 * the right are kept free for the legend, so no patch ends up under it.
 */
export function fitPadding(clearRight: number, base = 40, gap = 12): [number, number, number, number] {
  return [base, Math.max(base, clearRight + gap), base, base];
}

/** How far the legend reaches in from the map's right edge (0 when it is not shown). */
type Boxed = { getBoundingClientRect(): { left: number; right: number } };

export function legendClearance(map: Boxed, legend: Boxed | null | undefined): number {
  if (!legend) return 0;
  return Math.max(0, map.getBoundingClientRect().right - legend.getBoundingClientRect().left);
}

/**
 * Fits the view to an extent with `padding()`, and fits again when the map's size changes before
 * the user has moved the view (the panels around the map settle after the data set opens; a size
 * change keeps the centre, so without this data near an edge could slide under the legend).
 */
export function dataFitter(map: Map, padding: () => [number, number, number, number], maxZoom: number): (extent: Extent) => void {
  let fitted: { extent: Extent; center: number[] } | null = null;
  const fit = (extent: Extent) => {
    const view = map.getView();
    view.fit(extent, { padding: padding(), maxZoom, size: map.getSize() ?? [800, 600] });
    const center = view.getCenter();
    fitted = center ? { extent, center: [...center] } : null;
  };
  map.on('change:size', () => {
    const center = map.getView().getCenter();
    if (fitted && center && center[0] === fitted.center[0] && center[1] === fitted.center[1]) fit(fitted.extent);
  });
  return fit;
}

/** Reports the cursor's lon/lat on every move, with the footprint under it from `minZoom` on; null when it leaves. */
export function trackCursor(map: Map, footprints: Layer, minZoom: number, onChange: (c: CursorPosition | null) => void): () => void {
  const move = map.on('pointermove', (e) => {
    if (e.dragging) return;
    const [lon, lat] = toLonLat(e.coordinate);
    let patch: CursorPosition['patch'] = null;
    if ((map.getView().getZoom() ?? 0) >= minZoom) {
      const hit = map.forEachFeatureAtPixel(e.pixel, (f: FeatureLike) => f, { layerFilter: (l) => l === footprints });
      const epsg = hit?.get('epsg');
      if (hit && typeof epsg === 'number') patch = { id: String(hit.getId()), epsg };
    }
    onChange({ lon, lat, patch });
  });
  const viewport = map.getViewport();
  const leave = () => onChange(null);
  viewport?.addEventListener('pointerleave', leave);
  return () => {
    map.un('pointermove', move.listener);
    viewport?.removeEventListener('pointerleave', leave);
  };
}
