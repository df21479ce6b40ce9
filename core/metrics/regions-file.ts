import { DatasetFileError } from '../common/util/file-error.js';
import { parseRegions, type Region } from '../common/geo/geojson-regions.js';
import { readJsonFile } from '../util/json-file.js';

/** The regions of a GeoJSON file (core/common/geo/geojson-regions.ts checks them); errors name the file. */
export async function readRegionsFile(path: string): Promise<Region[]> {
  const json = await readJsonFile(path);
  if (json === null) throw new DatasetFileError(path, 'no such file');
  return parseRegions(json, path);
}
