import { describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../../core/common/util/file-error.js';
import { parseRegions } from '../../../core/common/geo/geojson-regions.js';

const ring = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 0],
];
const polygon = (properties: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates: [ring] },
  ...extra,
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

function errorOf(json: unknown): DatasetFileError {
  try {
    parseRegions(json, 'regions.geojson');
  } catch (err) {
    return err as DatasetFileError;
  }
  throw new Error('expected parseRegions to throw');
}

describe('parseRegions', () => {
  it('names regions by properties.name, then the feature id, then the position', () => {
    const regions = parseRegions(
      collection(
        polygon({ name: 'Alps' }),
        { ...polygon(null, { id: 'r2' }), geometry: { type: 'MultiPolygon', coordinates: [[ring], [ring]] } },
        polygon({ other: 1 }),
      ),
      'regions.geojson',
    );
    expect(regions.map((r) => [r.name, r.polygons.length])).toEqual([
      ['Alps', 1],
      ['r2', 2],
      ['feature 2', 1],
    ]);
    expect(regions[0].polygons[0]).toEqual([ring]);
  });

  it('joins features that share a name into one region', () => {
    const features = [polygon({ name: 'A' }), polygon({ name: 'B' }), polygon({ name: 'A' })];
    const regions = parseRegions(collection(...features), 'f');
    expect(regions.map((r) => [r.name, r.polygons.length])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
  });

  it('keeps holes and drops a third (altitude) coordinate', () => {
    const hole = [
      [0.2, 0.2, 5],
      [0.4, 0.2, 5],
      [0.4, 0.4, 5],
      [0.2, 0.2, 5],
    ];
    const [region] = parseRegions(
      collection({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring, hole] } }),
      'f',
    );
    expect(region.polygons[0][1]).toEqual([
      [0.2, 0.2],
      [0.4, 0.2],
      [0.4, 0.4],
      [0.2, 0.2],
    ]);
  });

  it.each([
    ['a bare geometry', { type: 'Polygon', coordinates: [ring] }, 'type: expected "FeatureCollection", got "Polygon"'],
    ['an empty collection', collection(), 'features: no regions'],
    ['a point', collection(polygon({}), { type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] } }),
      'features[1].geometry.type: expected Polygon or MultiPolygon, got "Point"'],
    ['a null geometry', collection({ type: 'Feature', properties: {}, geometry: null }),
      'features[0].geometry: expected a Polygon or MultiPolygon geometry, got null'],
    ['a ring that is not closed',
      collection({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } }),
      'features[0].geometry.coordinates[0]: ring is not closed'],
    ['a ring of three positions',
      collection({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] } }),
      'features[0].geometry.coordinates[0]: expected a linear ring of at least 4 positions'],
    ['UTM metres instead of degrees',
      collection({
        type: 'Feature',
        geometry: {
          type: 'MultiPolygon',
          coordinates: [[[[391638, 5891800], [391648, 5891800], [391648, 5891810], [391638, 5891800]]]],
        },
      }),
      'features[0].geometry.coordinates[0][0][0]: longitude 391638 outside [-180, 180]'],
    ['a text coordinate',
      collection({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, '0'], [1, 1], [0, 0]]] } }),
      'features[0].geometry.coordinates[0][1][1]: expected a finite number, got a string of 1 character'],
    ['properties that are not an object', collection(polygon('Alps')), 'features[0].properties: expected an object or null'],
    ['a feature without type', collection({ geometry: { type: 'Polygon', coordinates: [ring] } }),
      'features[0]: expected a GeoJSON Feature'],
  ])('rejects %s, naming the file and the field', (_, json, message) => {
    const err = errorOf(json);
    expect(err).toBeInstanceOf(DatasetFileError);
    expect(err.file).toBe('regions.geojson');
    expect(err.reason).toContain(message);
  });
});

describe('a refused region file', () => {
  it("names the field and the kind of value, never the file's text", () => {
    const secret = 'root:x:0:0:root:/root:/bin/bash';
    const files = [
      { type: secret },
      { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: secret, coordinates: [] } }] },
      { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [secret, 0], [1, 1], [0, 0]]] } }] },
    ];
    for (const json of files) {
      const err = errorOf(json);
      expect(err.reason).toMatch(/a string of 31 characters/);
      expect(err.message).not.toContain('root:');
    }
  });
});
