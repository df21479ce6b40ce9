/**
 * GeoJSON export, to the contract other tools depend on: a FeatureCollection, one Feature per
 * patch, geometry the lon/lat footprint (closed, counter-clockwise), properties id, roi, season,
 * scene, patch, split, epsg, sensors, igbp_fractions, label_igbp, labels_igbp, label, labels.
 * One feature per line: the file stays valid JSON and is still easy to grep or diff.
 */
import type { Writable } from 'node:stream';
import type { Db } from '../schema.js';
import { ChunkedWriter } from '../../util/chunked-writer.js';
import { exportRows, type ExportRow } from './rows.js';

// The stored JSON arrays are copied verbatim: no parse/stringify per feature.
function feature(r: ExportRow): string {
  return (
    `{"type":"Feature","geometry":{"type":"Polygon","coordinates":[${r.footprint}]},"properties":{` +
    `"id":${JSON.stringify(r.id)},"roi":${JSON.stringify(r.roi)},"season":${JSON.stringify(r.season)},` +
    `"scene":${r.scene},"patch":${r.patch},"split":${JSON.stringify(r.split)},"epsg":${r.epsg ?? 'null'},` +
    `"sensors":${r.sensors},"igbp_fractions":${r.igbp_fractions},"label_igbp":${r.label_igbp},` +
    `"labels_igbp":${r.labels_igbp},"label":${r.label},"labels":${r.labels}}}`
  );
}

/** Writes the collection to `out` (not ended); returns the number of features. */
export async function exportGeoJson(db: Db, out: Writable): Promise<number> {
  const writer = new ChunkedWriter(out);
  let count = 0;
  await writer.write('{"type":"FeatureCollection","features":[');
  for (const row of exportRows(db)) {
    await writer.write((count++ === 0 ? '\n' : ',\n') + feature(row));
  }
  await writer.write('\n]}\n');
  await writer.flush();
  return count;
}
