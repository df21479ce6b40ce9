/** `sen12ms-studio catalog`: exports a catalog as GeoJSON or CSV, streamed, to stdout or a file. */
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import { exportCsv } from '../../catalog/export/csv.js';
import { exportGeoJson } from '../../catalog/export/geojson.js';
import { openCatalogForRead } from '../../catalog/schema.js';
import { parseCommandLine, UsageError } from '../args.js';

export const summary =
  'Export the patches of a catalog: GeoJSON (one Feature per patch, lon/lat footprint, labels, split) or CSV ' +
  '(the same columns plus centroid_lon, centroid_lat, footprint_wkt). Writes to stdout unless --out is given.';
export const usage = 'sen12ms-studio catalog <db> --format geojson|csv [--out <file>]';

const EXPORTERS = { geojson: exportGeoJson, csv: exportCsv } as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { format: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('expected exactly one <db>');
  const format = values.format;
  if (format !== 'geojson' && format !== 'csv') {
    throw new UsageError(format === undefined ? '--format is required (geojson or csv)' : `--format must be geojson or csv, got "${format}"`);
  }
  const db = openCatalogForRead(positionals[0]);
  try {
    if (!values.out) {
      await EXPORTERS[format](db, process.stdout);
      return 0;
    }
    const out = fs.createWriteStream(values.out);
    try {
      const count = await EXPORTERS[format](db, out);
      out.end();
      await finished(out);
      process.stderr.write(`${count} patches written to ${values.out}\n`);
    } catch (err) {
      out.destroy();
      // A half-written export must not pass for a whole one.
      fs.rmSync(values.out, { force: true });
      throw err;
    }
    return 0;
  } finally {
    db.close();
  }
}
