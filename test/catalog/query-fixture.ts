/**
 * Catalog rows made without image files: patchRow() over fabricated S2 headers, so every row is
 * what the indexer would write for a patch at that place. Gives query tests places the synthetic
 * data sets never have (patches straddling the antimeridian) and benchmarks a large catalog fast.
 */
import { openCatalogForWrite } from '../../core/catalog/schema.js';
import { patchRow, type PatchRow } from '../../core/catalog/record.js';
import { OFFICIAL_ROI_SETS, patchId, type PatchRef } from '../../core/common/dataset/names.js';
import type { RasterHeader } from '../../core/dataset/tiff/types.js';
import { geoKeysForEpsg } from '../../core/dataset/tiff/geokeys-encode.js';
import { toUtm, utmEpsg } from '../../core/synth/places.js';
import { Rng } from '../../core/util/rng.js';

const SIZE = 256;
const PIXEL = 10;

/** An S2 header whose upper-left corner is `dx` metres east of (lon, lat) in `epsg`'s UTM zone. */
function s2Header(epsg: number, lon: number, lat: number, dx = 0): RasterHeader {
  const [x, y] = toUtm(epsg, lon, lat);
  return {
    width: SIZE,
    height: SIZE,
    bands: 13,
    dtype: 'uint16',
    geoKeys: geoKeysForEpsg(epsg),
    tiepoint: [0, 0, 0, x + dx, y, 0],
    pixelScale: [PIXEL, PIXEL, 0],
    layout: { tiled: false, blockWidth: SIZE, blockHeight: 1, compression: 1, predictor: 1, planarConfig: 1 },
  };
}

/** One to three IGBP classes with random shares, as fractions of classes 1..17. */
function igbpFractions(rng: Rng): number[] {
  const f = new Array<number>(17).fill(0);
  for (let k = 1 + rng.int(3); k > 0; k--) f[rng.int(17)] += 0.05 + rng.next();
  const sum = f.reduce((a, b) => a + b, 0);
  return f.map((v) => v / sum);
}

export interface StraddlingIds {
  /** Zone 60, corner just west of 180: its ring runs past +180. */
  east: string;
  /** Zone 1, corner west of -180: its ring runs below -180. */
  west: string;
}

/** `count` random patches over the world (about one in five without S1), plus two straddling ones. */
export function syntheticRows(count: number, seed: number): { rows: PatchRow[]; straddling: StraddlingIds } {
  const rng = new Rng(seed);
  const used = new Set<string>();
  const nextRef = (): PatchRef => {
    for (;;) {
      const ref = { roi: OFFICIAL_ROI_SETS[rng.int(4)], scene: 1 + rng.int(149), patch: 30 + rng.int(811) };
      if (!used.has(patchId(ref))) {
        used.add(patchId(ref));
        return ref;
      }
    }
  };
  const rows: PatchRow[] = [];
  for (let i = 0; i < count; i++) {
    const lon = rng.uniform(-179.9, 179.9);
    const lat = rng.uniform(-79, 79);
    rows.push(patchRow(nextRef(), s2Header(utmEpsg(lon, lat), lon, lat), igbpFractions(rng), rng.next() < 0.8));
  }
  const east = patchRow(nextRef(), s2Header(32760, 179.98, -17.5), igbpFractions(rng), true);
  const west = patchRow(nextRef(), s2Header(32701, -179.99, -20.5, -2000), igbpFractions(rng), true);
  rows.push(east, west);
  return { rows, straddling: { east: east.id, west: west.id } };
}

/** Writes rows into a new catalog file, through the schema's triggers (so the R-tree is filled). */
export function writeCatalog(file: string, rows: PatchRow[]): void {
  const db = openCatalogForWrite(file);
  try {
    const columns = Object.keys(rows[0]);
    const insert = db.prepare(`INSERT INTO patches (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`);
    db.transaction(() => rows.forEach((r) => insert.run(r)))();
  } finally {
    db.close();
  }
}
