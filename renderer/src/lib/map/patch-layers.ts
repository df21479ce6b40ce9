/**
 * The catalog on the map: every patch as a WebGL point at low zoom (180,000 stay smooth), the
 * footprints of the patches in view as polygons at high zoom, both coloured from COLOUR_TABLES.
 */
import type Feature from 'ol/Feature.js';
import type { FeatureLike } from 'ol/Feature.js';
import VectorLayer from 'ol/layer/Vector.js';
import WebGLVectorLayer from 'ol/layer/WebGLVector.js';
import VectorSource from 'ol/source/Vector.js';
import { Fill, Stroke, Style } from 'ol/style.js';
import type { ColourBy } from '../app-types.js';
import { COLOUR_MODES, colourExpression, patchColour, type PatchAttributes } from './patch-colours.js';

/** From this zoom on (a 2.56 km patch is ~17 px wide) footprints replace points. */
export const FOOTPRINT_ZOOM = 10;

/** How far from a point's centre a click still selects it: its largest radius plus a little. */
export const POINT_HIT_PX = 9;

export function modeVariable(mode: ColourBy): number {
  return COLOUR_MODES.indexOf(mode);
}

export function pointsLayer(source: VectorSource, mode: ColourBy): WebGLVectorLayer {
  return new WebGLVectorLayer({
    source,
    maxZoom: FOOTPRINT_ZOOM,
    variables: { mode: modeVariable(mode) },
    style: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 1, 2.5, FOOTPRINT_ZOOM, 7],
      'circle-fill-color': colourExpression() as never,
      'circle-stroke-color': 'rgba(30, 30, 30, 0.55)',
      'circle-stroke-width': 0.75,
    },
    // Hit detection draws every point a second time into an offscreen buffer each frame; clicks
    // are resolved from the source's R-tree instead (nearestPointId), which costs nothing per frame.
    disableHitDetection: true,
    properties: { name: 'patch-points' },
  });
}

/**
 * The point nearest to a click, if it lies within `tolerancePx` of it: the points layer's own
 * hit detection is off (see pointsLayer).
 */
export function nearestPointId(source: VectorSource, coordinate: number[], resolution: number, tolerancePx: number): string | null {
  const feature = source.getClosestFeatureToCoordinate(coordinate);
  const point = feature?.getGeometry()?.getClosestPoint(coordinate);
  if (!feature || !point) return null;
  const distancePx = Math.hypot(point[0] - coordinate[0], point[1] - coordinate[1]) / resolution;
  return distancePx <= tolerancePx ? String(feature.getId()) : null;
}

function attributesOf(feature: FeatureLike): PatchAttributes {
  const p = feature.getProperties();
  return { label: p.label, split: p.split, annotation: p.annotation, prediction: p.prediction };
}

export function footprintsLayer(source: VectorSource, mode: () => ColourBy): VectorLayer {
  const cache = new Map<string, Style>();
  return new VectorLayer({
    source,
    minZoom: FOOTPRINT_ZOOM,
    style: (feature) => {
      const colour = patchColour(mode(), attributesOf(feature));
      let style = cache.get(colour);
      if (!style) {
        style = new Style({ fill: new Fill({ color: `${colour}59` }), stroke: new Stroke({ color: colour, width: 1.5 }) });
        cache.set(colour, style);
      }
      return style;
    },
    properties: { name: 'patch-footprints' },
  });
}

/** Sets a feature's attributes, touching only the ones that changed (each change re-uploads WebGL buffers). */
export function setAttributes(feature: Feature, attrs: PatchAttributes): void {
  const changed: Partial<PatchAttributes> = {};
  for (const key of Object.keys(attrs) as (keyof PatchAttributes)[]) {
    if (feature.get(key) !== attrs[key]) changed[key] = attrs[key];
  }
  if (Object.keys(changed).length > 0) feature.setProperties(changed);
}
