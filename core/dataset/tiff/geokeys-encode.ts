/**
 * GeoKeys for the writer: the keys GDAL writes for an EPSG code, and their packing into the
 * three GeoTIFF tags (GeoKeyDirectory, GeoDoubleParams, GeoAsciiParams).
 */
import type { GeoKeys } from './types.js';

const GT_MODEL_TYPE = 1024;
const GT_RASTER_TYPE = 1025;
const GT_CITATION = 1026;
const GEOGRAPHIC_TYPE = 2048;
const GEOG_CITATION = 2049;
const GEOG_ANGULAR_UNITS = 2054;
const PROJECTED_CS_TYPE = 3072;
const PROJ_LINEAR_UNITS = 3076;

const MODEL_PROJECTED = 1;
const MODEL_GEOGRAPHIC = 2;
const RASTER_PIXEL_IS_AREA = 1;
const UNIT_DEGREE = 9102;
const UNIT_METRE = 9001;

export const TAG_GEO_DOUBLE_PARAMS = 34736;
export const TAG_GEO_ASCII_PARAMS = 34737;

/** Keys whose values the GeoTIFF spec defines as doubles even when they happen to be integers. */
function isDoubleKey(key: number): boolean {
  return key === 2053 || key === 2055 || key === 2057 || key === 2058 || key === 2059 || key === 2061 || (key >= 3077 && key <= 3095);
}

/** Names GDAL writes as citations for the CRSs SEN12MS uses; other codes get no citation. */
function epsgName(epsg: number): string | null {
  if (epsg === 4326) return 'WGS 84';
  const zone = epsg % 100;
  if (zone >= 1 && zone <= 60) {
    if (epsg - zone === 32600) return `WGS 84 / UTM zone ${zone}N`;
    if (epsg - zone === 32700) return `WGS 84 / UTM zone ${zone}S`;
  }
  return null;
}

/**
 * EPSG 4001..4999 are (mostly) geographic 2D CRSs; the few projected ones there (e.g. 4087)
 * need `model: 'projected'` from the caller.
 */
export function defaultModel(epsg: number): 'projected' | 'geographic' {
  return epsg > 4000 && epsg < 5000 ? 'geographic' : 'projected';
}

/** The GeoKeys GDAL writes for an EPSG code, PixelIsArea. */
export function geoKeysForEpsg(epsg: number, model: 'projected' | 'geographic' = defaultModel(epsg)): GeoKeys {
  if (!Number.isInteger(epsg) || epsg <= 0 || epsg > 65535) {
    throw new RangeError(`georef.epsg must be an integer EPSG code in 1..65535, got ${epsg}`);
  }
  const name = epsgName(epsg);
  const keys: GeoKeys = { [GT_RASTER_TYPE]: RASTER_PIXEL_IS_AREA, [GEOG_ANGULAR_UNITS]: UNIT_DEGREE };
  if (model === 'geographic') {
    keys[GT_MODEL_TYPE] = MODEL_GEOGRAPHIC;
    keys[GEOGRAPHIC_TYPE] = epsg;
    if (name) keys[GEOG_CITATION] = name;
  } else {
    keys[GT_MODEL_TYPE] = MODEL_PROJECTED;
    keys[PROJECTED_CS_TYPE] = epsg;
    keys[PROJ_LINEAR_UNITS] = UNIT_METRE;
    if (name) {
      keys[GT_CITATION] = name;
      keys[GEOG_CITATION] = name.split(' / ')[0];
    }
  }
  return keys;
}

export interface EncodedGeoKeys {
  directory: number[];
  doubles: number[];
  /** Each value ends with '|', as GDAL and libgeotiff expect; the tag writer adds the NUL. */
  ascii: string;
}

export function encodeGeoKeys(keys: GeoKeys): EncodedGeoKeys {
  const ids = Object.keys(keys)
    .map(Number)
    .sort((a, b) => a - b);
  const entries: number[] = [];
  const doubles: number[] = [];
  let ascii = '';
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 1 || id > 65535) throw new RangeError(`GeoKey id must be in 1..65535, got ${id}`);
    const value = keys[id];
    if (typeof value === 'string') {
      if (value.includes('|')) throw new RangeError(`GeoKey ${id}: ASCII value must not contain '|'`);
      entries.push(id, TAG_GEO_ASCII_PARAMS, value.length + 1, ascii.length);
      ascii += `${value}|`;
    } else if (Array.isArray(value) || !Number.isInteger(value) || isDoubleKey(id)) {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) throw new RangeError(`GeoKey ${id}: empty value list`);
      entries.push(id, TAG_GEO_DOUBLE_PARAMS, list.length, doubles.length);
      doubles.push(...list);
    } else {
      if (value < 0 || value > 65535) throw new RangeError(`GeoKey ${id}: integer value ${value} does not fit a SHORT`);
      entries.push(id, 0, 1, value);
    }
  }
  return { directory: [1, 1, 0, ids.length, ...entries], doubles, ascii };
}
