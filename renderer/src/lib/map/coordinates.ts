import proj4 from 'proj4';
import { utmProjDefinition } from './utm.js';

/** What the cursor readout shows: where the cursor is, and in the UTM grid of the patch under it. */

export interface CursorPosition {
  lon: number;
  lat: number;
  /** The patch under the cursor (footprint zoom only) and the UTM zone its file is in. */
  patch: { id: string; epsg: number } | null;
}

/** Longitudes wrapped into [-180, 180): the map's coordinates run on past the antimeridian. */
export function wrapLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/** Five decimals: about a metre, a tenth of a pixel. */
export function formatLonLat(lon: number, lat: number): string {
  return `lon ${wrapLon(lon).toFixed(5)}°, lat ${lat.toFixed(5)}°`;
}

/** "UTM 19S (EPSG:32719)". */
export function utmZoneLabel(epsg: number): string {
  utmProjDefinition(epsg);
  return `UTM ${epsg % 100}${Math.floor(epsg / 100) === 327 ? 'S' : 'N'} (EPSG:${epsg})`;
}

/** Easting and northing of a lon/lat in the zone `epsg` names, to the metre. */
export function utmCoordinate(epsg: number, lon: number, lat: number): [number, number] {
  const [e, n] = proj4('EPSG:4326', utmProjDefinition(epsg)).forward([wrapLon(lon), lat]);
  return [Math.round(e), Math.round(n)];
}

export function formatUtm(epsg: number, lon: number, lat: number): string {
  const [e, n] = utmCoordinate(epsg, lon, lat);
  return `${utmZoneLabel(epsg)} E ${e} m, N ${n} m`;
}
