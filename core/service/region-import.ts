/**
 * Regions from the text of a GeoJSON file the user picked in the browser, for
 * annotations.importRegions: parsed here, then checked by the same reader an evaluation's
 * `by: {regions}` file goes through, so a refusal names the file and the field and never quotes
 * the text.
 */
import { randomUUID } from 'node:crypto';
import { MAX_BATCH_ITEMS, MAX_NAME_LENGTH, type AnnotationRegion, type RegionGeometry } from '../common/annotations/annotation-changes.js';
import { parseRegions } from '../common/geo/geojson-regions.js';
import { jsonTextDepth, MAX_JSON_DEPTH } from '../common/util/json-limits.js';
import { DatasetFileError } from '../common/util/file-error.js';
import { jsonErrorPlace } from '../util/json-file.js';

/** The regions of the text, each with a new id; `file` is the picked file's name, for messages. */
export function regionsFromGeoJsonText(text: string, file: string): AnnotationRegion[] {
  if (jsonTextDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) throw new DatasetFileError(file, `nested deeper than ${MAX_JSON_DEPTH} levels`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DatasetFileError(file, `not valid JSON${jsonErrorPlace(err, text)}`);
  }
  const regions = parseRegions(json, file);
  if (regions.length > MAX_BATCH_ITEMS) throw new DatasetFileError(file, `features: at most ${MAX_BATCH_ITEMS} regions in one import, got ${regions.length}`);
  return regions.map((region, i) => {
    if (region.name.length > MAX_NAME_LENGTH) {
      throw new DatasetFileError(file, `region ${i + 1}: its name (properties.name or id) is longer than ${MAX_NAME_LENGTH} characters`);
    }
    const polygons = region.polygons.map((polygon) => polygon.map((ring) => ring.map(([lon, lat]) => [lon, lat])));
    const geometry: RegionGeometry = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
    return { id: `region-${randomUUID()}`, name: region.name, geometry };
  });
}
