/** The layers drawn over the catalog: a results choropleth (polygons, and markers where they are too small to see), annotation regions, the selection, the draped preview. */
import type { FeatureLike } from 'ol/Feature.js';
import { getCenter, getHeight, getWidth, type Extent } from 'ol/extent.js';
import MultiPoint from 'ol/geom/MultiPoint.js';
import MultiPolygon from 'ol/geom/MultiPolygon.js';
import Point from 'ol/geom/Point.js';
import Polygon from 'ol/geom/Polygon.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import ImageLayer from 'ol/layer/Image.js';
import VectorLayer from 'ol/layer/Vector.js';
import { register } from 'ol/proj/proj4.js';
import ImageStatic from 'ol/source/ImageStatic.js';
import VectorSource from 'ol/source/Vector.js';
import { Circle, Fill, Stroke, Style, Text } from 'ol/style.js';
import proj4 from 'proj4';
import type { AnnotationRegion } from '#common/annotations/annotation-changes.js';
import type { Overlay } from '../app-types.js';
import { choroplethColour } from './choropleth.js';
import type { Drape } from './map-state.svelte.js';
import { utmExtent, utmProjDefinition } from './utm.js';

const geojson = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });

/** An empty group (value null): grey and dashed, so it reads as "nothing scored here", not as a low score. */
const EMPTY_FILL = 'rgba(128, 128, 128, 0.25)';
const EMPTY_STROKE = new Stroke({ color: '#444', width: 1.5, lineDash: [4, 3] });

function groupValue(feature: FeatureLike): number | null {
  const value = feature.get('value');
  return typeof value === 'number' ? value : null;
}

export function choroplethLayer(): VectorLayer {
  return new VectorLayer({
    // One world copy, as the patches' own sources: at world zoom the view shows more than one
    // world, and a group or ring drawn again on a copy would have no patches under it.
    source: new VectorSource({ wrapX: false }),
    style: (feature) => {
      const value = groupValue(feature);
      return new Style({
        fill: new Fill({ color: value === null ? EMPTY_FILL : choroplethColour(value, 0.7) }),
        stroke: value === null ? EMPTY_STROKE : new Stroke({ color: '#1b1b1b', width: 1 }),
      });
    },
    properties: { name: 'choropleth' },
  });
}

function emptyLabel(feature: FeatureLike): Style {
  const extent = feature.getGeometry()!.getExtent();
  return new Style({
    geometry: new Point(getCenter(extent)),
    text: new Text({
      text: 'no patches scored (hover for why)',
      offsetY: 16,
      font: '12px system-ui, sans-serif',
      fill: new Fill({ color: '#222' }),
      stroke: new Stroke({ color: '#fff', width: 3 }),
      overflow: true,
    }),
  });
}

/** Below this size on screen a group's polygon is drawn as a marker instead (a scene is ~2 km: a speck at world zoom). */
export const MARKER_BELOW_PX = 14;

/** The centres of the parts of a (multi)polygon that are smaller than MARKER_BELOW_PX at this resolution. */
function smallParts(geometry: unknown, resolution: number): MultiPoint | null {
  const polygons = geometry instanceof Polygon ? [geometry] : geometry instanceof MultiPolygon ? geometry.getPolygons() : [];
  const centres = polygons.flatMap((p) => {
    const extent = p.getExtent();
    return Math.max(getWidth(extent), getHeight(extent)) / resolution < MARKER_BELOW_PX ? [getCenter(extent)] : [];
  });
  return centres.length > 0 ? new MultiPoint(centres) : null;
}

/**
 * The same groups as markers wherever their polygons are too small to see, over the patch points
 * (zIndex 1) so the choropleth reads at every zoom; shares the polygons' source.
 */
export function choroplethMarkersLayer(polygons: VectorLayer): VectorLayer {
  return new VectorLayer({
    source: polygons.getSource()!,
    zIndex: 1,
    style: (feature, resolution) => {
      const geometry = smallParts(feature.getGeometry(), resolution);
      const value = groupValue(feature);
      // An empty region large enough to see gets a label here, over the patches that would hide it.
      if (!geometry) return value === null ? emptyLabel(feature) : undefined;
      return new Style({
        geometry,
        image: new Circle({
          radius: 8,
          fill: new Fill({ color: value === null ? EMPTY_FILL : choroplethColour(value) }),
          stroke: value === null ? EMPTY_STROKE : new Stroke({ color: '#1b1b1b', width: 1.5 }),
        }),
      });
    },
    properties: { name: 'choropleth-markers' },
  });
}

/** The map's hover line for a group: its figure named as the legend names it, or why it is empty. */
export function groupHoverText(feature: FeatureLike, metric: string): string {
  const value = groupValue(feature);
  const name = String(feature.get('name'));
  if (value === null) return `${name}: ${String(feature.get('reason') ?? 'no patches')}`;
  return `${name}: ${metric} ${value.toFixed(3)} (${feature.get('n')} patches)`;
}

/** Draws the overlay; returns its extent (map projection) so the view can show it, or null when cleared. */
export function showOverlay(layer: VectorLayer, overlay: Overlay | null): Extent | null {
  const source = layer.getSource()!;
  source.clear();
  if (!overlay) return null;
  source.addFeatures(geojson.readFeatures(overlay.features));
  return source.isEmpty() ? null : source.getExtent();
}

const REGION_STROKE = new Stroke({ color: '#AA3377', width: 2, lineDash: [6, 4] });

export function regionsLayer(): VectorLayer {
  return new VectorLayer({
    source: new VectorSource({ wrapX: false }),
    style: (feature) =>
      new Style({
        stroke: REGION_STROKE,
        fill: new Fill({ color: 'rgba(170, 51, 119, 0.08)' }),
        text: new Text({
          text: String(feature.get('name') ?? ''),
          font: '600 12px system-ui, sans-serif',
          fill: new Fill({ color: '#5a1a3f' }),
          stroke: new Stroke({ color: '#fff', width: 3 }),
          overflow: true,
        }),
      }),
    properties: { name: 'regions' },
  });
}

export function showRegions(layer: VectorLayer, regions: readonly AnnotationRegion[]): void {
  const source = layer.getSource()!;
  source.clear();
  source.addFeatures(
    geojson.readFeatures({
      type: 'FeatureCollection',
      features: regions.map((r) => ({ type: 'Feature', id: r.id, geometry: r.geometry, properties: { name: r.name } })),
    }),
  );
}

/** Black-and-white rings: visible over every palette colour. */
const SELECTED = [
  new Style({
    image: new Circle({ radius: 9, stroke: new Stroke({ color: '#000', width: 3 }) }),
    stroke: new Stroke({ color: '#000', width: 4 }),
  }),
  new Style({
    image: new Circle({ radius: 9, stroke: new Stroke({ color: '#fff', width: 1.5 }) }),
    stroke: new Stroke({ color: '#fff', width: 1.5 }),
  }),
];

export function selectionLayer(): VectorLayer {
  return new VectorLayer({ source: new VectorSource({ wrapX: false }), style: SELECTED, properties: { name: 'selection' } });
}

/**
 * The preview image in the patch's own UTM projection, which ol reprojects to the view: the
 * raster lands exactly on the patch's footprint, rotated as UTM grid north is in Web Mercator.
 * Without an EPSG code (never for SEN12MS files) it falls back to the footprint's lon/lat box.
 */
export function drapeLayer(drape: Drape): ImageLayer<ImageStatic> {
  let projection = 'EPSG:4326';
  let extent: [number, number, number, number];
  if (drape.epsg !== null) {
    projection = `EPSG:${drape.epsg}`;
    if (!proj4.defs(projection)) {
      proj4.defs(projection, utmProjDefinition(drape.epsg));
      register(proj4);
    }
    extent = utmExtent(drape.epsg, drape.footprint);
  } else {
    const lons = drape.footprint.map((p) => p[0]);
    const lats = drape.footprint.map((p) => p[1]);
    extent = [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
  }
  return new ImageLayer({
    source: new ImageStatic({ url: drape.url, imageExtent: extent, projection, interpolate: false }),
    properties: { name: 'drape' },
  });
}
