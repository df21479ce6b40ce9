/**
 * Georeferencing of a GeoTIFF header, offline: the CRS as a proj4 string (from GeoKeys) and the
 * affine pixel-to-CRS transform (from the ModelTiepoint/ModelPixelScale or ModelTransformation
 * tags). There is no EPSG database here on purpose: a code we cannot build exactly is an error
 * naming the file, never a guess.
 */
import { DatasetFileError } from '../common/util/file-error.js';
import type { GeoKeys, RasterHeader } from './tiff/types.js';

export interface Crs {
  /** The EPSG code, or null for a CRS the file defines itself through GeoKeys. */
  epsg: number | null;
  name: string;
  proj4: string;
}

/** x = a*col + b*row + c, y = d*col + e*row + f, with (col, row) = (0, 0) the outer top-left corner. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** GeoKey ids by their GeoTIFF 1.0 names without the "GeoKey" suffix (spec section 6.2). */
const K = {
  GTModelType: 1024,
  GTRasterType: 1025,
  GTCitation: 1026,
  GeographicType: 2048,
  GeogGeodeticDatum: 2050,
  GeogPrimeMeridian: 2051,
  GeogAngularUnits: 2054,
  GeogAngularUnitSize: 2055,
  GeogEllipsoid: 2056,
  GeogSemiMajorAxis: 2057,
  GeogSemiMinorAxis: 2058,
  GeogInvFlattening: 2059,
  GeogPrimeMeridianLong: 2061,
  ProjectedCSType: 3072,
  PCSCitation: 3073,
  Projection: 3074,
  ProjCoordTrans: 3075,
  ProjLinearUnits: 3076,
  ProjLinearUnitSize: 3077,
  ProjStdParallel1: 3078,
  ProjStdParallel2: 3079,
  ProjNatOriginLong: 3080,
  ProjNatOriginLat: 3081,
  ProjFalseEasting: 3082,
  ProjFalseNorthing: 3083,
  ProjFalseOriginLong: 3084,
  ProjFalseOriginLat: 3085,
  ProjFalseOriginEasting: 3086,
  ProjFalseOriginNorthing: 3087,
  ProjCenterLong: 3088,
  ProjCenterLat: 3089,
  ProjScaleAtNatOrigin: 3092,
  ProjStraightVertPoleLong: 3095,
} as const;

const KEY_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(K).map(([name, id]) => [id, `${name}GeoKey`]),
);

const USER_DEFINED = 32767;
const MODEL_PROJECTED = 1;
const MODEL_GEOGRAPHIC = 2;
const PIXEL_IS_POINT = 2;

const WGS84 = '+datum=WGS84';
const NAD83 = '+datum=NAD83';
// ETRS89 coincides with WGS 84 at the metre level that footprints need (as EPSG's own 1-parameter
// transformation says), so no shift.
const ETRS89 = '+ellps=GRS80 +towgs84=0,0,0';

const GEOGRAPHIC: Record<number, { name: string; datum: string }> = {
  4326: { name: 'WGS 84', datum: WGS84 },
  4269: { name: 'NAD83', datum: NAD83 },
  4258: { name: 'ETRS89', datum: ETRS89 },
};

const DATUMS: Record<number, string> = { 6326: WGS84, 6269: NAD83, 6258: ETRS89 };

const ELLIPSOIDS: Record<number, string> = {
  7030: '+ellps=WGS84',
  7019: '+ellps=GRS80',
  7043: '+ellps=WGS72',
  7022: '+ellps=intl',
  7004: '+ellps=bessel',
  7008: '+ellps=clrk66',
};

/** Projected EPSG codes that are exact from a short formula; everything else is refused. */
function knownProjected(epsg: number): Omit<Crs, 'epsg'> | null {
  if (epsg > 32600 && epsg <= 32660) return utm(epsg - 32600, false, 'WGS 84', WGS84);
  if (epsg > 32700 && epsg <= 32760) return utm(epsg - 32700, true, 'WGS 84', WGS84);
  if (epsg > 26900 && epsg <= 26923) return utm(epsg - 26900, false, 'NAD83', NAD83);
  if (epsg >= 25828 && epsg <= 25838) return utm(epsg - 25800, false, 'ETRS89', ETRS89);
  switch (epsg) {
    case 3857:
      return {
        name: 'WGS 84 / Pseudo-Mercator',
        proj4: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
      };
    case 3395:
      return { name: 'WGS 84 / World Mercator', proj4: `+proj=merc +lon_0=0 +k=1 +x_0=0 +y_0=0 ${WGS84} +units=m +no_defs` };
    case 3035:
      return {
        name: 'ETRS89-extended / LAEA Europe',
        proj4: `+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 ${ETRS89} +units=m +no_defs`,
      };
    case 5041:
      return { name: 'WGS 84 / UPS North (E,N)', proj4: `+proj=stere +lat_0=90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000 ${WGS84} +units=m +no_defs` };
    case 5042:
      return { name: 'WGS 84 / UPS South (E,N)', proj4: `+proj=stere +lat_0=-90 +lon_0=0 +k=0.994 +x_0=2000000 +y_0=2000000 ${WGS84} +units=m +no_defs` };
    default:
      return null;
  }
}

function utm(zone: number, south: boolean, datumName: string, datum: string): Omit<Crs, 'epsg'> {
  return {
    name: `${datumName} / UTM zone ${zone}${south ? 'S' : 'N'}`,
    proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} ${datum} +units=m +no_defs`,
  };
}

function unknownCrs(file: string, detail: string): DatasetFileError {
  return new DatasetFileError(
    file,
    `unknown CRS: ${detail} (offline support: EPSG 4326, 4269, 4258, 3857, 3395, 3035, 5041, 5042, WGS 84 UTM ` +
      '32601-32660 / 32701-32760, NAD83 UTM 26901-26923, ETRS89 UTM 25828-25838, and CRSs defined fully by GeoKeys)',
  );
}

function numberKey(keys: GeoKeys, id: number, file: string): number | undefined {
  const v = keys[id];
  if (v === undefined) return undefined;
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new DatasetFileError(file, `${KEY_NAMES[id] ?? 'GeoKey'} (${id}) is not a finite number: ${JSON.stringify(v)}`);
  }
  return n;
}

function stringKey(keys: GeoKeys, id: number): string | undefined {
  const v = keys[id];
  // GeoTIFF ASCII values end with '|' as a separator.
  const text = typeof v === 'string' ? v.replace(/\|$/, '').trim() : '';
  return text === '' ? undefined : text;
}

/** The CRS of a file from its GeoKeys; throws DatasetFileError for anything it cannot build exactly. */
export function crsFromGeoKeys(keys: GeoKeys, file: string): Crs {
  const modelType = numberKey(keys, K.GTModelType, file);
  const pcs = numberKey(keys, K.ProjectedCSType, file);
  const gcs = numberKey(keys, K.GeographicType, file);

  if (pcs !== undefined && pcs !== USER_DEFINED) {
    const known = knownProjected(pcs);
    if (!known) throw unknownCrs(file, `ProjectedCSTypeGeoKey ${pcs} is not supported offline`);
    return { epsg: pcs, ...known };
  }
  const projected = pcs === USER_DEFINED || modelType === MODEL_PROJECTED || keys[K.ProjCoordTrans] !== undefined;
  if (projected) return userProjected(keys, file);
  if (modelType !== undefined && modelType !== MODEL_GEOGRAPHIC) {
    throw unknownCrs(file, `GTModelTypeGeoKey ${modelType} (only projected 1 and geographic 2 are supported)`);
  }
  if (gcs === undefined) throw unknownCrs(file, 'no ProjectedCSTypeGeoKey or GeographicTypeGeoKey');
  if (gcs !== USER_DEFINED && GEOGRAPHIC[gcs]) return { epsg: gcs, name: GEOGRAPHIC[gcs].name, proj4: `+proj=longlat ${GEOGRAPHIC[gcs].datum} +no_defs` };
  const geog = geodetic(keys, file);
  return { epsg: null, name: stringKey(keys, K.GTCitation) ?? 'user-defined geographic', proj4: `+proj=longlat ${geog.datum}${geog.pm} +no_defs` };
}

interface Geodetic {
  datum: string;
  /** ' +pm=<deg>' or ''. */
  pm: string;
  /** Multiplies a GeoKey angle into degrees. */
  toDegrees: number;
}

function geodetic(keys: GeoKeys, file: string): Geodetic {
  const toDegrees = angularUnit(keys, file);
  const gcs = numberKey(keys, K.GeographicType, file);
  const datumCode = numberKey(keys, K.GeogGeodeticDatum, file);
  const ellCode = numberKey(keys, K.GeogEllipsoid, file);
  let datum: string | undefined;
  if (gcs !== undefined && gcs !== USER_DEFINED) datum = GEOGRAPHIC[gcs]?.datum;
  if (!datum && datumCode !== undefined && datumCode !== USER_DEFINED) datum = DATUMS[datumCode];
  if (!datum && ellCode !== undefined && ellCode !== USER_DEFINED) datum = ELLIPSOIDS[ellCode];
  if (!datum) {
    const a = numberKey(keys, K.GeogSemiMajorAxis, file);
    const rf = numberKey(keys, K.GeogInvFlattening, file);
    const b = numberKey(keys, K.GeogSemiMinorAxis, file);
    if (a !== undefined && a > 0 && rf !== undefined && rf > 0) datum = `+a=${a} +rf=${rf}`;
    else if (a !== undefined && a > 0 && b !== undefined && b > 0) datum = `+a=${a} +b=${b}`;
  }
  if (!datum) {
    const code =
      gcs !== undefined && gcs !== USER_DEFINED
        ? `GeographicTypeGeoKey ${gcs}`
        : datumCode !== undefined && datumCode !== USER_DEFINED
          ? `GeogGeodeticDatumGeoKey ${datumCode}`
          : ellCode !== undefined && ellCode !== USER_DEFINED
            ? `GeogEllipsoidGeoKey ${ellCode}`
            : 'no geodetic datum or ellipsoid (semi-major axis with inverse flattening or semi-minor axis)';
    throw unknownCrs(file, code.startsWith('no ') ? code : `${code} is not supported offline`);
  }
  const pmCode = numberKey(keys, K.GeogPrimeMeridian, file);
  const pmLong = numberKey(keys, K.GeogPrimeMeridianLong, file);
  let pm = '';
  if (pmLong !== undefined && pmLong !== 0) pm = ` +pm=${pmLong * toDegrees}`;
  else if (pmCode !== undefined && pmCode !== 8901 && pmLong === undefined) {
    throw unknownCrs(file, `GeogPrimeMeridianGeoKey ${pmCode} is not supported offline`);
  }
  return { datum, pm, toDegrees };
}

function angularUnit(keys: GeoKeys, file: string): number {
  const code = numberKey(keys, K.GeogAngularUnits, file);
  if (code === undefined || code === 9102 || code === 9122) return 1;
  if (code === 9101) return 180 / Math.PI;
  if (code === 9105) return 0.9;
  const size = numberKey(keys, K.GeogAngularUnitSize, file);
  // GeogAngularUnitSizeGeoKey is in radians.
  if (code === USER_DEFINED && size !== undefined && size > 0) return (size * 180) / Math.PI;
  throw unknownCrs(file, `GeogAngularUnitsGeoKey ${code} is not supported`);
}

function linearUnit(keys: GeoKeys, file: string): number {
  const code = numberKey(keys, K.ProjLinearUnits, file);
  if (code === undefined || code === 9001) return 1;
  if (code === 9002) return 0.3048;
  if (code === 9003) return 1200 / 3937;
  const size = numberKey(keys, K.ProjLinearUnitSize, file);
  if (code === USER_DEFINED && size !== undefined && size > 0) return size;
  throw unknownCrs(file, `ProjLinearUnitsGeoKey ${code} is not supported`);
}

const PROJECTION_NAMES: Record<number, string> = {
  1: 'Transverse Mercator',
  7: 'Mercator',
  8: 'Lambert Conformal Conic (2SP)',
  9: 'Lambert Conformal Conic (1SP)',
  11: 'Albers Equal Area',
  15: 'Polar Stereographic',
};

function userProjected(keys: GeoKeys, file: string): Crs {
  const projection = numberKey(keys, K.Projection, file);
  const geog = geodetic(keys, file);
  const unit = linearUnit(keys, file);
  const units = unit === 1 ? '+units=m' : `+to_meter=${unit}`;
  const citation = stringKey(keys, K.PCSCitation) ?? stringKey(keys, K.GTCitation);

  // ProjectionGeoKey 16001-16060 / 16101-16160: a UTM zone north / south on the file's datum.
  if (projection !== undefined && projection !== USER_DEFINED) {
    const south = projection > 16100 && projection <= 16160;
    const zone = south ? projection - 16100 : projection - 16000;
    if (!(zone >= 1 && zone <= 60)) throw unknownCrs(file, `ProjectionGeoKey ${projection} is not supported offline`);
    return {
      epsg: null,
      name: citation ?? `UTM zone ${zone}${south ? 'S' : 'N'}`,
      proj4: `+proj=utm +zone=${zone}${south ? ' +south' : ''} ${geog.datum}${geog.pm} ${units} +no_defs`,
    };
  }

  const method = numberKey(keys, K.ProjCoordTrans, file);
  if (method === undefined) throw unknownCrs(file, 'user-defined projected CRS without ProjCoordTransGeoKey');
  const projName = PROJECTION_NAMES[method];
  if (!projName) throw unknownCrs(file, `ProjCoordTransGeoKey ${method} is not supported offline`);

  /** The first of `ids` present; GDAL and older writers use different keys for the same parameter. */
  const param = (kind: 'angle' | 'length' | 'scale', ...ids: number[]): number => {
    for (const id of ids) {
      const v = numberKey(keys, id, file);
      if (v === undefined) continue;
      return kind === 'angle' ? v * geog.toDegrees : kind === 'length' ? v * unit : v;
    }
    throw unknownCrs(file, `user-defined ${projName} lacks ${ids.map((id) => `${KEY_NAMES[id]} (${id})`).join(' or ')}`);
  };
  // proj4's +x_0/+y_0 are always metres, whatever +to_meter says.
  const falseEN = () =>
    `+x_0=${param('length', K.ProjFalseEasting, K.ProjFalseOriginEasting)} +y_0=${param('length', K.ProjFalseNorthing, K.ProjFalseOriginNorthing)}`;

  let proj: string;
  switch (method) {
    case 1:
      proj =
        `+proj=tmerc +lat_0=${param('angle', K.ProjNatOriginLat)} +lon_0=${param('angle', K.ProjNatOriginLong)} ` +
        `+k=${param('scale', K.ProjScaleAtNatOrigin)} ${falseEN()}`;
      break;
    case 7:
      proj =
        keys[K.ProjStdParallel1] !== undefined
          ? `+proj=merc +lat_ts=${param('angle', K.ProjStdParallel1)} +lon_0=${param('angle', K.ProjNatOriginLong)} ${falseEN()}`
          : `+proj=merc +lon_0=${param('angle', K.ProjNatOriginLong)} +k=${param('scale', K.ProjScaleAtNatOrigin)} ${falseEN()}`;
      break;
    case 8:
      proj =
        `+proj=lcc +lat_1=${param('angle', K.ProjStdParallel1)} +lat_2=${param('angle', K.ProjStdParallel2)} ` +
        `+lat_0=${param('angle', K.ProjFalseOriginLat, K.ProjNatOriginLat)} +lon_0=${param('angle', K.ProjFalseOriginLong, K.ProjNatOriginLong)} ${falseEN()}`;
      break;
    case 9: {
      const lat0 = param('angle', K.ProjNatOriginLat, K.ProjFalseOriginLat);
      proj =
        `+proj=lcc +lat_1=${lat0} +lat_0=${lat0} +lon_0=${param('angle', K.ProjNatOriginLong, K.ProjFalseOriginLong)} ` +
        `+k_0=${param('scale', K.ProjScaleAtNatOrigin)} ${falseEN()}`;
      break;
    }
    case 11:
      proj =
        `+proj=aea +lat_1=${param('angle', K.ProjStdParallel1)} +lat_2=${param('angle', K.ProjStdParallel2)} ` +
        `+lat_0=${param('angle', K.ProjNatOriginLat, K.ProjFalseOriginLat, K.ProjCenterLat)} ` +
        `+lon_0=${param('angle', K.ProjNatOriginLong, K.ProjFalseOriginLong, K.ProjCenterLong)} ${falseEN()}`;
      break;
    default: {
      // Polar Stereographic: a latitude of natural origin of +-90 is variant A (scale at the pole);
      // any other value is the standard parallel of variant B, as GDAL writes it.
      const lat = param('angle', K.ProjNatOriginLat);
      const lon0 = param('angle', K.ProjStraightVertPoleLong, K.ProjNatOriginLong);
      proj =
        Math.abs(lat) === 90
          ? `+proj=stere +lat_0=${lat} +lon_0=${lon0} +k=${param('scale', K.ProjScaleAtNatOrigin)} ${falseEN()}`
          : `+proj=stere +lat_0=${lat > 0 ? 90 : -90} +lat_ts=${lat} +lon_0=${lon0} ${falseEN()}`;
    }
  }
  return {
    epsg: null,
    name: citation ?? `user-defined ${projName}`,
    proj4: `${proj} ${geog.datum}${geog.pm} ${units} +no_defs`,
  };
}

function finiteList(values: number[] | undefined, min: number, tag: string, file: string): number[] | undefined {
  if (values === undefined) return undefined;
  if (values.length < min || values.some((v) => !Number.isFinite(v))) {
    throw new DatasetFileError(file, `${tag} must hold at least ${min} finite numbers`);
  }
  return values;
}

/**
 * The pixel-corner to CRS transform. A PixelIsPoint file ties the model point to the pixel's
 * centre, so the outer corner lies half a pixel up-left of it (GDAL's reading as well).
 */
export function pixelToCrsTransform(header: RasterHeader, file: string): Affine {
  const tiepoint = finiteList(header.tiepoint, 6, 'ModelTiepointTag', file);
  const scale = finiteList(header.pixelScale, 2, 'ModelPixelScaleTag', file);
  const matrix = finiteList(header.transformation, 16, 'ModelTransformationTag', file);
  const shift = numberKey(header.geoKeys, K.GTRasterType, file) === PIXEL_IS_POINT ? 0.5 : 0;

  let t: Affine;
  if (matrix) {
    const [a, b, , c, d, e, , f] = matrix;
    t = { a, b, c: c - shift * (a + b), d, e, f: f - shift * (d + e) };
  } else if (tiepoint && scale) {
    const [i, j, , x, y] = tiepoint;
    const [sx, sy] = scale;
    t = { a: sx, b: 0, c: x - (i + shift) * sx, d: 0, e: -sy, f: y + (j + shift) * sy };
  } else if (tiepoint) {
    throw new DatasetFileError(file, 'georeferencing by ground control points (tiepoints without ModelPixelScaleTag) is not supported');
  } else {
    throw new DatasetFileError(file, 'no georeferencing: neither ModelTiepointTag with ModelPixelScaleTag nor ModelTransformationTag');
  }
  if (t.a * t.e - t.b * t.d === 0) throw new DatasetFileError(file, 'degenerate pixel-to-CRS transform (zero pixel size)');
  return t;
}

export function applyAffine(t: Affine, col: number, row: number): [number, number] {
  return [t.a * col + t.b * row + t.c, t.d * col + t.e * row + t.f];
}
