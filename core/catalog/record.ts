/** One catalog row from what the indexer read: the S2 header (footprint) and the IGBP fractions of LC band 1 (labels). */
import { DatasetFileError } from '../common/util/file-error.js';
import { footprintOf } from '../dataset/footprint.js';
import { multiLabel, simplifiedFractions, singleLabel } from '../common/dataset/labels.js';
import { patchId, patchRelPath, seasonOf, type PatchRef, type Sensor } from '../common/dataset/names.js';
import { officialSplit } from '../dataset/splits.js';
import type { RasterHeader } from '../dataset/tiff/types.js';

/** A `patches` row, column for column; arrays are JSON text. */
export interface PatchRow {
  id: string;
  roi: string;
  season: string;
  scene: number;
  patch: number;
  s2_path: string;
  s1_path: string | null;
  lc_path: string;
  sensors: string;
  epsg: number | null;
  footprint: string;
  crs_min_x: number;
  crs_min_y: number;
  crs_max_x: number;
  crs_max_y: number;
  centroid_lon: number;
  centroid_lat: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  split: 'train' | 'test';
  igbp_fractions: string;
  label_igbp: number;
  labels_igbp: string;
  label: number;
  labels: string;
}

function bbox(ring: [number, number][]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/**
 * Throws DatasetFileError naming the S2 file when its georeferencing is unusable, or the LC file
 * when band 1 holds no IGBP class at all (a patch without labels).
 */
export function patchRow(ref: PatchRef, s2Header: RasterHeader, igbp: number[], hasS1: boolean): PatchRow {
  const s2Path = patchRelPath(ref, 's2');
  const fp = footprintOf(s2Header, s2Path);
  const [crsMinX, crsMinY, crsMaxX, crsMaxY] = bbox(fp.crsRing);
  const [minLon, minLat, maxLon, maxLat] = bbox(fp.ring);
  if (!igbp.some((f) => f > 0)) {
    throw new DatasetFileError(patchRelPath(ref, 'lc'), 'no pixel of band 1 holds an IGBP class (1..17): no labels');
  }
  const simplified = simplifiedFractions(igbp);
  const sensors: Sensor[] = hasS1 ? ['lc', 's1', 's2'] : ['lc', 's2'];
  return {
    id: patchId(ref),
    roi: ref.roi,
    season: seasonOf(ref.roi),
    scene: ref.scene,
    patch: ref.patch,
    s2_path: s2Path,
    s1_path: hasS1 ? patchRelPath(ref, 's1') : null,
    lc_path: patchRelPath(ref, 'lc'),
    sensors: JSON.stringify(sensors),
    epsg: fp.epsg,
    footprint: JSON.stringify(fp.ring),
    crs_min_x: crsMinX,
    crs_min_y: crsMinY,
    crs_max_x: crsMaxX,
    crs_max_y: crsMaxY,
    centroid_lon: fp.centroid[0],
    centroid_lat: fp.centroid[1],
    min_lon: minLon,
    min_lat: minLat,
    max_lon: maxLon,
    max_lat: maxLat,
    split: officialSplit(ref),
    igbp_fractions: JSON.stringify(igbp),
    label_igbp: singleLabel(igbp),
    labels_igbp: JSON.stringify(multiLabel(igbp)),
    label: singleLabel(simplified),
    labels: JSON.stringify(multiLabel(simplified)),
  };
}
