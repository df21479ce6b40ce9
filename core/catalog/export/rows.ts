/** The catalog rows the exporters stream, in the contract's stable order (roi, scene, patch). */
import type { PatchRow } from '../record.js';
import type { Db } from '../schema.js';

export type ExportRow = Pick<
  PatchRow,
  | 'id' | 'roi' | 'season' | 'scene' | 'patch' | 'split' | 'epsg' | 'sensors' | 'igbp_fractions'
  | 'label_igbp' | 'labels_igbp' | 'label' | 'labels' | 'centroid_lon' | 'centroid_lat' | 'footprint'
>;

/** Iterates the statement: one row in memory at a time, whatever the catalog's size. */
export function exportRows(db: Db): IterableIterator<ExportRow> {
  return db
    .prepare<[], ExportRow>(
      `SELECT id, roi, season, scene, patch, split, epsg, sensors, igbp_fractions, label_igbp, labels_igbp,
              label, labels, centroid_lon, centroid_lat, footprint
       FROM patches ORDER BY roi, scene, patch`,
    )
    .iterate();
}
