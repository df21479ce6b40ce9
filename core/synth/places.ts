/**
 * Land places the synthetic scenes are put at: every inhabited continent, both hemispheres, and
 * UTM zones 1 and 60 next to the antimeridian, each with the biome that decides its land cover.
 * SEN12MS publishes no per-patch coordinate list, so these are NOT the real scene locations:
 * they are plausible land places of the kinds SEN12MS sampled (farmland, forests, drylands,
 * wetlands, the edges of cities), a few degrees apart so that the map and per-region reports
 * show differences between places.
 */
import proj4 from 'proj4';
import { crsFromGeoKeys } from '../dataset/georef.js';
import { geoKeysForEpsg } from '../dataset/tiff/geokeys-encode.js';

export type Biome = 'temperate' | 'boreal' | 'tropical' | 'arid' | 'savanna' | 'tundra' | 'island' | 'steppe' | 'wetland' | 'urban';

export const CONTINENTS = ['Europe', 'Asia', 'Africa', 'North America', 'South America', 'Oceania'] as const;
export type Continent = (typeof CONTINENTS)[number];

export interface Place {
  name: string;
  lon: number;
  lat: number;
  biome: Biome;
  continent: Continent;
}

const place = (continent: Continent) => (name: string, lon: number, lat: number, biome: Biome): Place => ({ name, lon, lat, biome, continent });
const europe = place('Europe');
const asia = place('Asia');
const africa = place('Africa');
const northAmerica = place('North America');
const southAmerica = place('South America');
const oceania = place('Oceania');

/** At least eight per continent, so a sample of up to 48 scenes puts each at its own place. */
export const PLACES: readonly Place[] = [
  europe('Bavaria', 11.5, 48.4, 'temperate'),
  europe('Po valley', 10.0, 45.1, 'temperate'),
  europe('Andalusia', -4.5, 37.5, 'arid'),
  europe('Central Finland', 26.0, 62.5, 'boreal'),
  europe('Beauce', 1.6, 48.2, 'temperate'),
  europe('Rhine-Ruhr', 7.0, 51.4, 'urban'),
  europe('Mazovia', 21.0, 52.2, 'temperate'),
  europe('Danube delta', 29.0, 45.1, 'wetland'),
  europe('Dalarna', 15.0, 60.8, 'boreal'),
  europe('Pontic steppe', 35.0, 48.5, 'steppe'),
  northAmerica('Iowa', -93.5, 42.0, 'temperate'),
  northAmerica('Quebec', -72.0, 49.0, 'boreal'),
  northAmerica('Arizona', -111.9, 33.4, 'arid'),
  northAmerica('Saskatchewan', -106.0, 52.5, 'steppe'),
  northAmerica('Central Valley', -120.5, 37.0, 'temperate'),
  northAmerica('Alberta', -113.5, 56.0, 'boreal'),
  northAmerica('Everglades', -80.8, 26.0, 'wetland'),
  northAmerica('Chicagoland', -87.9, 41.9, 'urban'),
  northAmerica('Mexican plateau', -101.5, 21.5, 'arid'),
  southAmerica('Amazonas', -60.0, -3.1, 'tropical'),
  southAmerica('Cerrado', -47.9, -15.8, 'savanna'),
  southAmerica('Pampas', -60.5, -34.6, 'temperate'),
  southAmerica('Araucania', -70.2, -37.1, 'temperate'),
  southAmerica('Pantanal', -57.0, -18.0, 'wetland'),
  southAmerica('Sao Paulo', -46.6, -23.6, 'urban'),
  southAmerica('Patagonia', -69.0, -45.0, 'steppe'),
  southAmerica('Atacama', -69.5, -23.5, 'arid'),
  southAmerica('Llanos', -70.0, 6.5, 'savanna'),
  africa('Sahel', 2.1, 13.5, 'savanna'),
  africa('Congo basin', 23.0, 0.5, 'tropical'),
  africa('Nile delta', 31.2, 30.8, 'arid'),
  africa('Highveld', 28.0, -26.2, 'savanna'),
  africa('Madagascar', 47.5, -18.9, 'tropical'),
  africa('Sudd', 30.5, 7.5, 'wetland'),
  africa('Okavango', 22.8, -19.3, 'wetland'),
  africa('Lagos', 3.4, 6.6, 'urban'),
  africa('Ethiopian highlands', 38.7, 9.0, 'temperate'),
  asia('Chukotka', 177.5, 64.7, 'tundra'),
  asia('North China plain', 116.4, 37.5, 'temperate'),
  asia('West Siberia', 84.9, 56.5, 'boreal'),
  asia('Punjab', 75.8, 30.9, 'temperate'),
  asia('Java', 110.4, -7.2, 'tropical'),
  asia('Kazakh steppe', 71.4, 51.2, 'steppe'),
  asia('Kanto', 140.1, 36.1, 'temperate'),
  asia('Najd', 46.7, 24.7, 'arid'),
  asia('Mekong delta', 105.8, 9.9, 'wetland'),
  asia('Pearl River delta', 113.3, 23.1, 'urban'),
  asia('Deccan', 77.5, 17.5, 'savanna'),
  asia('Yakutia', 129.7, 62.0, 'boreal'),
  oceania('Riverina', 146.0, -34.5, 'savanna'),
  oceania('Canterbury', 172.6, -43.5, 'temperate'),
  oceania('Viti Levu', 178.0, -17.8, 'island'),
  oceania('Tongatapu', -175.2, -21.15, 'island'),
  oceania('Wheatbelt', 117.5, -31.5, 'temperate'),
  oceania('Pilbara', 118.6, -22.3, 'arid'),
  oceania('Tasmania', 146.8, -41.8, 'temperate'),
  oceania('Queensland tropics', 145.8, -17.3, 'tropical'),
  oceania('Western Sydney', 150.8, -33.8, 'urban'),
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
