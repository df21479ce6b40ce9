/**
 * The offline basemap: Natural Earth 1:50m countries (world-atlas TopoJSON, bundled, so the map
 * works without a network; their outlines are the coastlines), a graticule labelled in degrees
 * (at patch zoom a patch lies inside one country's fill, and the lines still say where and how
 * big things are), and the optional OpenStreetMap tiles when they can be reached.
 */
import TopoJSON from 'ol/format/TopoJSON.js';
import MultiPolygon from 'ol/geom/MultiPolygon.js';
import Polygon from 'ol/geom/Polygon.js';
import Graticule from 'ol/layer/Graticule.js';
import TileLayer from 'ol/layer/Tile.js';
import VectorImageLayer from 'ol/layer/VectorImage.js';
import OSM from 'ol/source/OSM.js';
import VectorSource from 'ol/source/Vector.js';
import { Fill, Stroke, Style, Text } from 'ol/style.js';
import countries from 'world-atlas/countries-50m.json';
import { ONLINE_TILES_URL } from '#common/api/online-tiles.js';
import { drawableRing } from './basemap-rings.js';

/** The basemap's layers draw into their own canvas (this class), under the data layers. */
export const BASEMAP_CLASS = 'basemap';

const COUNTRY_STYLE = new Style({
  fill: new Fill({ color: '#ecebe4' }),
  stroke: new Stroke({ color: '#a9a79c', width: 0.6 }),
});

export function countriesLayer(): VectorImageLayer {
  const features = new TopoJSON({ layers: ['countries'] }).readFeatures(countries);
  for (const feature of features) {
    const geometry = feature.getGeometry();
    if (geometry instanceof Polygon) geometry.setCoordinates(geometry.getCoordinates().map(drawableRing));
    else if (geometry instanceof MultiPolygon) geometry.setCoordinates(geometry.getCoordinates().map((p) => p.map(drawableRing)));
    geometry?.transform('EPSG:4326', 'EPSG:3857');
  }
  // An image layer: the 1:50m outlines (~100k vertices) are drawn once per view, not every frame of a pan.
  return new VectorImageLayer({
    source: new VectorSource({ features }),
    style: COUNTRY_STYLE,
    className: BASEMAP_CLASS,
    properties: { name: 'countries' },
  });
}

const LABEL_STYLE = {
  font: '11px system-ui, sans-serif',
  fill: new Fill({ color: '#3b4250' }),
  stroke: new Stroke({ color: 'rgba(255, 255, 255, 0.9)', width: 3 }),
};

export function graticuleLayer(): Graticule {
  return new Graticule({
    strokeStyle: new Stroke({ color: 'rgba(70, 80, 100, 0.45)', width: 1, lineDash: [4, 4] }),
    showLabels: true,
    wrapX: false,
    // About two lines across the map at any zoom, down to 1" (about 30 m) at patch zoom.
    targetSize: 140,
    // Meridian labels along the top: the bottom edge holds the scale bar and the cursor readout.
    lonLabelPosition: 1,
    lonLabelStyle: new Text({ ...LABEL_STYLE, textBaseline: 'top', offsetY: 4 }),
    latLabelStyle: new Text({ ...LABEL_STYLE, textAlign: 'end' }),
    className: BASEMAP_CLASS,
    properties: { name: 'graticule' },
  });
}

export function onlineTilesLayer(): TileLayer {
  return new TileLayer({ source: new OSM({ url: ONLINE_TILES_URL }), visible: false, properties: { name: 'osm' } });
}

/** A tile of the online map that loads, or false (offline, blocked by policy, or refused). */
export function onlineTilesReachable(timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const img = new Image();
    const timer = setTimeout(() => resolve(false), timeoutMs);
    img.onload = () => {
      clearTimeout(timer);
      resolve(true);
    };
    img.onerror = () => {
      clearTimeout(timer);
      resolve(false);
    };
    img.src = ONLINE_TILES_URL.replace('{z}/{x}/{y}', '0/0/0');
  });
}
