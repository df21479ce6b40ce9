/**
 * Land places the synthetic scenes are put at: several continents, both hemispheres, and UTM
 * zones 1 and 60 next to the antimeridian, each with the biome that decides its land cover.
 */
import proj4 from 'proj4';
import { crsFromGeoKeys } from '../dataset/georef.js';
import { geoKeysForEpsg } from '../dataset/tiff/geokeys-encode.js';

export type Biome = 'temperate' | 'boreal' | 'tropical' | 'arid' | 'savanna' | 'tundra' | 'island' | 'steppe';

export interface Place {
  name: string;
  lon: number;
  lat: number;
  biome: Biome;
}

export const PLACES: readonly Place[] = [
  { name: 'Bavaria', lon: 11.5, lat: 48.4, biome: 'temperate' },
  { name: 'Po valley', lon: 10.0, lat: 45.1, biome: 'temperate' },
  { name: 'Andalusia', lon: -4.5, lat: 37.5, biome: 'arid' },
  { name: 'Central Finland', lon: 26.0, lat: 62.5, biome: 'boreal' },
  { name: 'Iowa', lon: -93.5, lat: 42.0, biome: 'temperate' },
  { name: 'Quebec', lon: -72.0, lat: 49.0, biome: 'boreal' },
  { name: 'Arizona', lon: -111.9, lat: 33.4, biome: 'arid' },
  { name: 'Saskatchewan', lon: -106.0, lat: 52.5, biome: 'steppe' },
  { name: 'Chukotka', lon: 177.5, lat: 64.7, biome: 'tundra' },
  { name: 'Amazonas', lon: -60.0, lat: -3.1, biome: 'tropical' },
  { name: 'Cerrado', lon: -47.9, lat: -15.8, biome: 'savanna' },
  { name: 'Pampas', lon: -60.5, lat: -34.6, biome: 'temperate' },
  { name: 'Araucania', lon: -70.2, lat: -37.1, biome: 'temperate' },
  { name: 'Sahel', lon: 2.1, lat: 13.5, biome: 'savanna' },
  { name: 'Congo basin', lon: 23.0, lat: 0.5, biome: 'tropical' },
  { name: 'Nile delta', lon: 31.2, lat: 30.8, biome: 'arid' },
  { name: 'Highveld', lon: 28.0, lat: -26.2, biome: 'savanna' },
  { name: 'Madagascar', lon: 47.5, lat: -18.9, biome: 'tropical' },
  { name: 'North China plain', lon: 116.4, lat: 37.5, biome: 'temperate' },
  { name: 'West Siberia', lon: 84.9, lat: 56.5, biome: 'boreal' },
  { name: 'Punjab', lon: 75.8, lat: 30.9, biome: 'temperate' },
  { name: 'Java', lon: 110.4, lat: -7.2, biome: 'tropical' },
  { name: 'Kazakh steppe', lon: 71.4, lat: 51.2, biome: 'steppe' },
  { name: 'Kanto', lon: 140.1, lat: 36.1, biome: 'temperate' },
  { name: 'Najd', lon: 46.7, lat: 24.7, biome: 'arid' },
  { name: 'Riverina', lon: 146.0, lat: -34.5, biome: 'savanna' },
  { name: 'Canterbury', lon: 172.6, lat: -43.5, biome: 'temperate' },
  { name: 'Viti Levu', lon: 178.0, lat: -17.8, biome: 'island' },
  { name: 'Tongatapu', lon: -175.2, lat: -21.15, biome: 'island' },
];

export function utmZone(lon: number): number {
  return Math.min(60, Math.floor((lon + 180) / 6) + 1);
}

/** WGS 84 / UTM: EPSG 326zz north of the equator, 327zz south. */
export function utmEpsg(lon: number, lat: number): number {
  return (lat >= 0 ? 32600 : 32700) + utmZone(lon);
}

/** Easting and northing of a lon/lat in the UTM zone `epsg` names. */
export function toUtm(epsg: number, lon: number, lat: number): [number, number] {
  // The same CRS definition the catalog will read back from the files' GeoKeys.
  const crs = crsFromGeoKeys(geoKeysForEpsg(epsg), `EPSG:${epsg}`);
  const [x, y] = proj4('EPSG:4326', crs.proj4, [lon, lat]);
  return [x, y];
}
