/**
 * CSV export, to the contract: the GeoJSON properties in the same order, then centroid_lon,
 * centroid_lat and footprint_wkt ("POLYGON((lon lat, ...))"). RFC 4180: CRLF line ends, cells
 * holding commas, quotes or line breaks quoted with inner quotes doubled; arrays are JSON.
 */
import type { Writable } from 'node:stream';
import type { Db } from '../schema.js';
import { ChunkedWriter } from '../../util/chunked-writer.js';
import { exportRows, type ExportRow } from './rows.js';
import { csvCell } from '../../util/csv.js';

export const CSV_COLUMNS = [
  'id', 'roi', 'season', 'scene', 'patch', 'split', 'epsg', 'sensors', 'igbp_fractions', 'label_igbp',
  'labels_igbp', 'label', 'labels', 'centroid_lon', 'centroid_lat', 'footprint_wkt',
] as const;

function wkt(footprint: string): string {
  const ring = JSON.parse(footprint) as [number, number][];
  return `POLYGON((${ring.map(([lon, lat]) => `${lon} ${lat}`).join(', ')}))`;
}

function line(r: ExportRow): string {
  const values = [
    r.id, r.roi, r.season, r.scene, r.patch, r.split, r.epsg, r.sensors, r.igbp_fractions, r.label_igbp,
    r.labels_igbp, r.label, r.labels, r.centroid_lon, r.centroid_lat, wkt(r.footprint),
  ];
  return values.map(csvCell).join(',') + '\r\n';
}

/** Writes the table to `out` (not ended); returns the number of rows. */
export async function exportCsv(db: Db, out: Writable): Promise<number> {
  const writer = new ChunkedWriter(out);
  let count = 0;
  await writer.write(CSV_COLUMNS.join(',') + '\r\n');
  for (const row of exportRows(db)) {
    await writer.write(line(row));
    count++;
  }
  await writer.flush();
  return count;
}
