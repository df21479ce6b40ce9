/**
 * The ground footprint of a patch: its four outer corners in the file's CRS and in WGS 84.
 *
 * Antimeridian: a patch of UTM zone 1 or 60 can straddle longitude 180. We keep its ring in one
 * piece instead of splitting it as RFC 7946 recommends: the centroid longitude lies in
 * [-180, 180] and every ring longitude is taken within 180 degrees of it, so a straddling ring
 * runs continuously past 180 (or below -180). A four-corner ring stays a simple quadrilateral,
 * overlap tests stay plain geometry, and map views that wrap the world draw it whole.
 */
import proj4 from 'proj4';
import { applyAffine, crsFromGeoKeys, pixelToCrsTransform } from './georef.js';
import type { RasterHeader } from './tiff/types.js';

export type Point = [number, number];

export interface Footprint {
  epsg: number | null;
  /** Outer corners in the file CRS, closed (first == last), counter-clockwise. */
  crsRing: Point[];
  /** The same corners as WGS 84 [lon, lat], closed and counter-clockwise. */
  ring: Point[];
  /** [lon, lat] of the polygon's centroid, taken in the file CRS and then transformed. */
  centroid: Point;
}

const WGS84_LONLAT = '+proj=longlat +datum=WGS84 +no_defs';

// Parsing a proj4 string costs far more than transforming a point; a data set has ~60 CRSs.
const converters = new Map<string, proj4.Converter>();

function toLonLat(proj: string): proj4.Converter {
  let c = converters.get(proj);
  if (!c) {
    c = proj4(proj, WGS84_LONLAT);
    converters.set(proj, c);
  }
  return c;
}

/** Twice the signed area (shoelace) of an open ring; positive when counter-clockwise. */
export function signedArea2(ring: Point[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[(i + 1) % ring.length];
    s += x0 * y1 - x1 * y0;
  }
  return s;
}

/** Keeps the first corner and reverses the walk when the ring runs clockwise. */
function counterClockwise(ring: Point[]): Point[] {
  return signedArea2(ring) < 0 ? [ring[0], ...ring.slice(1).reverse()] : ring;
}

function closed(ring: Point[]): Point[] {
  return [...ring, ring[0]];
}

function wrapNear(lon: number, ref: number): number {
  while (lon - ref > 180) lon -= 360;
  while (lon - ref < -180) lon += 360;
  return lon;
}

export function footprintOf(header: RasterHeader, file: string): Footprint {
  const crs = crsFromGeoKeys(header.geoKeys, file);
  const t = pixelToCrsTransform(header, file);
  const { width: w, height: h } = header;
  const corners = counterClockwise([applyAffine(t, 0, 0), applyAffine(t, w, 0), applyAffine(t, w, h), applyAffine(t, 0, h)]);
  const conv = toLonLat(crs.proj4);
  // The corners are an affine image of a rectangle (a parallelogram): its centroid is the image
  // of the raster's centre.
  const [cx, cy] = applyAffine(t, w / 2, h / 2);
  const [clon, clat] = conv.forward([cx, cy]);
  const centroid: Point = [wrapNear(clon, 0), clat];
  const lonLat = corners.map(([x, y]): Point => {
    const [lon, lat] = conv.forward([x, y]);
    return [wrapNear(lon, centroid[0]), lat];
  });
  return { epsg: crs.epsg, crsRing: closed(corners), ring: closed(counterClockwise(lonLat)), centroid };
}
