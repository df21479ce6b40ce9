/**
 * Regions drawn by the user as a GeoJSON FeatureCollection of Polygon / MultiPolygon features
 * (RFC 7946: [lon, lat] in WGS84, closed rings, holes after the outer ring). Everything is
 * checked on the way in, and a problem names the file and the field, e.g.
 * "features[3].geometry.type: expected Polygon or MultiPolygon".
 */
import { DatasetFileError } from '../util/file-error.js';
import type { Polygon, Position } from './point-in-polygon.js';

export interface Region {
  name: string;
  polygons: Polygon[];
}

class FieldError extends Error {}

/** GeoJSON's own type names: vocabulary an error may name, unlike the rest of a file's text. */
const GEOJSON_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection', 'Feature', 'FeatureCollection']);

/**
 * What a rejected value is, for an error message that never quotes the file's text: numbers,
 * booleans, null and GeoJSON type names as they are, any other string by its length only.
 */
function described(value: unknown): string {
  if (typeof value === 'string') return GEOJSON_TYPES.has(value) ? JSON.stringify(value) : `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return value === undefined ? 'nothing' : String(value);
}

function fail(field: string, reason: string): never {
  throw new FieldError(`${field}: ${reason}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function position(value: unknown, field: string): Position {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
    fail(field, `expected a position [lon, lat], got ${described(value)}`);
  }
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      fail(`${field}[${i}]`, `expected a finite number, got ${described(v)}`);
    }
  });
  const [lon, lat] = value as number[];
  // projected metres (a UTM file saved as GeoJSON) are the usual way to get here
  const hint = '(positions are [lon, lat] in degrees)';
  if (lon < -180 || lon > 180) fail(field, `longitude ${lon} outside [-180, 180] ${hint}`);
  if (lat < -90 || lat > 90) fail(field, `latitude ${lat} outside [-90, 90] ${hint}`);
  return [lon, lat];
}

function ring(value: unknown, field: string): Position[] {
  if (!Array.isArray(value) || value.length < 4) fail(field, 'expected a linear ring of at least 4 positions');
  const positions = value.map((p, i) => position(p, `${field}[${i}]`));
  const first = positions[0];
  const last = positions[positions.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    fail(field, 'ring is not closed (first and last positions differ)');
  }
  return positions;
}

function polygon(value: unknown, field: string): Polygon {
  if (!Array.isArray(value) || value.length === 0) {
    fail(field, 'expected an array of linear rings (outer ring first)');
  }
  return value.map((r, i) => ring(r, `${field}[${i}]`));
}

/** The polygons of a Polygon / MultiPolygon geometry; a problem throws an Error "<field>...: reason". */
export function geometryPolygons(value: unknown, field: string): Polygon[] {
  if (!isObject(value)) fail(field, `expected a Polygon or MultiPolygon geometry, got ${described(value)}`);
  const coordinates = value.coordinates;
  if (value.type === 'Polygon') return [polygon(coordinates, `${field}.coordinates`)];
  if (value.type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) {
      fail(`${field}.coordinates`, 'expected an array of polygons');
    }
    return coordinates.map((p, i) => polygon(p, `${field}.coordinates[${i}]`));
  }
  return fail(`${field}.type`, `expected Polygon or MultiPolygon, got ${described(value.type)}`);
}

function regionName(feature: Record<string, unknown>, index: number, field: string): string {
  const properties = feature.properties;
  if (properties !== undefined && properties !== null && !isObject(properties)) {
    fail(`${field}.properties`, 'expected an object or null');
  }
  const name = isObject(properties) ? properties.name : undefined;
  if (typeof name === 'string' && name.trim() !== '') return name;
  if (typeof name === 'number') return String(name);
  if (typeof feature.id === 'string' || typeof feature.id === 'number') return String(feature.id);
  return `feature ${index}`;
}

function regionsOf(json: unknown): Region[] {
  if (!isObject(json)) fail('(root)', 'expected a GeoJSON object');
  if (json.type !== 'FeatureCollection') fail('type', `expected "FeatureCollection", got ${described(json.type)}`);
  const features = json.features;
  if (!Array.isArray(features)) fail('features', 'expected an array');
  if (features.length === 0) fail('features', 'no regions (the collection is empty)');
  // features sharing a name form one region, so a region can be drawn in several pieces
  const byName = new Map<string, Polygon[]>();
  features.forEach((feature, i) => {
    const field = `features[${i}]`;
    if (!isObject(feature) || feature.type !== 'Feature') fail(field, 'expected a GeoJSON Feature');
    const polygons = geometryPolygons(feature.geometry, `${field}.geometry`);
    const name = regionName(feature, i, field);
    byName.set(name, [...(byName.get(name) ?? []), ...polygons]);
  });
  return [...byName].map(([name, polygons]) => ({ name, polygons }));
}

/** Regions in order of first appearance; `file` names the source in errors. */
export function parseRegions(json: unknown, file: string): Region[] {
  try {
    return regionsOf(json);
  } catch (err) {
    if (err instanceof FieldError) throw new DatasetFileError(file, err.message);
    throw err;
  }
}
