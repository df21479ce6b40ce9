/**
 * A catalog of synthetic patch rows for the UI benchmark: SEN12MS-like scenes (28 x 28 grid
 * positions at a 1,280 m stride, 2,560 m footprints) scattered over the land latitudes, written
 * through the catalog's own writer and schema. Rows only: no patch files exist behind them.
 */
import { OFFICIAL_ROI_SETS, patchId, patchRelPath, seasonOf, type PatchRef } from '../core/common/dataset/names.js';
import { officialSplit } from '../core/dataset/splits.js';
import type { PatchRow } from '../core/catalog/record.js';
import { openCatalogForWrite } from '../core/catalog/schema.js';
import { CatalogWriter, type WriteOp } from '../core/catalog/store.js';
import { patchNumber, PIXEL_SIZE, STRIDE } from '../core/synth/scene-plan.js';
import { utmEpsg } from '../core/synth/places.js';
import { Rng } from '../core/util/rng.js';

const GRID_ROWS = 28;
const GRID_COLS = 28;
const METRES_PER_DEGREE = 111_320;
const SIDE_M = 2 * STRIDE * PIXEL_SIZE;

type Ring = [number, number][];

function footprint(lon: number, lat: number): Ring {
  const dLat = SIDE_M / METRES_PER_DEGREE;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  return [
    [lon, lat],
    [lon + dLon, lat],
    [lon + dLon, lat + dLat],
    [lon, lat + dLat],
    [lon, lat],
  ];
}

function row(ref: PatchRef, ring: Ring, rng: Rng): PatchRow {
  const label = 1 + rng.int(10);
  const second = 1 + rng.int(10);
  const labels = [...new Set([label, second])].sort((a, b) => a - b);
  const igbp = new Array(17).fill(0);
  igbp[label] = 1;
  const [minLon, minLat] = ring[0];
  const [maxLon, maxLat] = ring[2];
  return {
    id: patchId(ref),
    roi: ref.roi,
    season: seasonOf(ref.roi),
    scene: ref.scene,
    patch: ref.patch,
    s2_path: patchRelPath(ref, 's2'),
    s1_path: patchRelPath(ref, 's1'),
    lc_path: patchRelPath(ref, 'lc'),
    sensors: JSON.stringify(['lc', 's1', 's2']),
    epsg: utmEpsg(minLon, minLat),
    footprint: JSON.stringify(ring),
    crs_min_x: 0,
    crs_min_y: 0,
    crs_max_x: SIDE_M,
    crs_max_y: SIDE_M,
    centroid_lon: (minLon + maxLon) / 2,
    centroid_lat: (minLat + maxLat) / 2,
    min_lon: minLon,
    min_lat: minLat,
    max_lon: maxLon,
    max_lat: maxLat,
    split: officialSplit(ref),
    igbp_fractions: JSON.stringify(igbp),
    label_igbp: label,
    labels_igbp: JSON.stringify(labels),
    label,
    labels: JSON.stringify(labels),
  };
}

/** Writes `count` rows into a new catalog at `file`; returns the number of scenes used. */
export function writeSyntheticCatalog(file: string, datasetRoot: string, count: number, seed = 0): { scenes: number } {
  const db = openCatalogForWrite(file);
  try {
    const writer = new CatalogWriter(db, datasetRoot);
    const rng = new Rng(seed);
    let written = 0;
    let scenes = 0;
    for (let scene = 1; written < count; scene++) {
      for (const roi of OFFICIAL_ROI_SETS) {
        if (written >= count) break;
        const lon0 = rng.uniform(-170, 170);
        const lat0 = rng.uniform(-55, 68);
        const ops: WriteOp[] = [];
        for (let r = 0; r < GRID_ROWS && written < count; r++) {
          for (let c = 0; c < GRID_COLS && written < count; c++) {
            const dLat = (STRIDE * PIXEL_SIZE) / METRES_PER_DEGREE;
            const lat = lat0 - r * dLat;
            const lon = lon0 + (c * dLat) / Math.cos((lat * Math.PI) / 180);
            ops.push({ op: 'patch', row: row({ roi, scene, patch: patchNumber(r + 1, c) }, footprint(lon, lat), rng) });
            written++;
          }
        }
        writer.write(ops);
        scenes++;
      }
    }
    writer.finish();
    return { scenes };
  } finally {
    db.close();
  }
}
