/** The layers drawn over the catalog: a results choropleth, annotation regions, the selection, the draped preview. */
import type { Extent } from 'ol/extent.js';
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

export function choroplethLayer(): VectorLayer {
  return new VectorLayer({
    source: new VectorSource(),
    style: (feature) =>
      new Style({
        fill: new Fill({ color: choroplethColour(Number(feature.get('value')), 0.7) }),
        stroke: new Stroke({ color: '#1b1b1b', width: 1 }),
      }),
    properties: { name: 'choropleth' },
  });
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
    source: new VectorSource(),
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
  return new VectorLayer({ source: new VectorSource(), style: SELECTED, properties: { name: 'selection' } });
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
