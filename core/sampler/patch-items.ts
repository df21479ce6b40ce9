/**
 * The catalog's patches as training items: absolute file paths, labels and footprints, read once
 * from the `patches` table so training never touches SQL again.
 */
import { resolve } from 'node:path';
import { openCatalogForRead } from '../catalog/schema.js';
import type { PatchRow } from '../catalog/record.js';
import { DatasetFileError } from '../common/util/file-error.js';
import type { Point } from '../dataset/footprint.js';
import { SEASONS, sceneKey, type Season } from '../common/dataset/names.js';
import type { FootprintShape } from '../dataset/subsets.js';

export interface PatchItem {
  id: string;
  roi: string;
  season: Season;
  scene: number;
  patch: number;
  /** The scene as a place (ROI set + number), see names.ts sceneKey. */
  sceneKey: string;
  split: 'train' | 'test';
  /** Absolute paths. */
  s2Path: string;
  s1Path: string | null;
  /** [lon, lat]. */
  centroid: [number, number];
  igbpFractions: number[];
  /** 1-based classes as catalogued: IGBP (17 classes) and the simplified scheme (10). */
  labelIgbp: number;
  labelsIgbp: number[];
  label: number;
  labels: number[];
  /** Needed by the non-overlapping subset; always set by loadPatchItems. */
  footprint?: FootprintShape;
}

type Row = Pick<
  PatchRow,
  | 'id' | 'roi' | 'season' | 'scene' | 'patch' | 's2_path' | 's1_path' | 'split' | 'epsg' | 'footprint'
  | 'crs_min_x' | 'crs_min_y' | 'crs_max_x' | 'crs_max_y' | 'centroid_lon' | 'centroid_lat'
  | 'igbp_fractions' | 'label_igbp' | 'labels_igbp' | 'label' | 'labels'
>;

const COLUMNS: (keyof Row)[] = [
  'id', 'roi', 'season', 'scene', 'patch', 's2_path', 's1_path', 'split', 'epsg', 'footprint',
  'crs_min_x', 'crs_min_y', 'crs_max_x', 'crs_max_y', 'centroid_lon', 'centroid_lat',
  'igbp_fractions', 'label_igbp', 'labels_igbp', 'label', 'labels',
];

function numbers(text: string, column: string, row: Row, file: string): number[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) {
    throw new DatasetFileError(file, `patch ${row.id}: column ${column} is not a JSON array of numbers`);
  }
  return value;
}

function ring(row: Row, file: string): Point[] {
  let value: unknown;
  try {
    value = JSON.parse(row.footprint);
  } catch {
    value = undefined;
  }
  const isPoint = (p: unknown) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number');
  if (!Array.isArray(value) || value.length < 4 || !value.every(isPoint)) {
    throw new DatasetFileError(file, `patch ${row.id}: column footprint is not a closed ring of [lon, lat] points`);
  }
  return value as Point[];
}

/**
 * The ring in the file's CRS. A SEN12MS patch is an axis-aligned square in its UTM zone (the
 * indexer stores its bounding box), so the box is the footprint exactly.
 */
function crsRing(row: Row): Point[] {
  const { crs_min_x: x0, crs_min_y: y0, crs_max_x: x1, crs_max_y: y1 } = row;
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}

function toItem(row: Row, root: string, file: string): PatchItem {
  if (!(SEASONS as readonly string[]).includes(row.season)) throw new DatasetFileError(file, `patch ${row.id}: unknown season "${row.season}"`);
  const abs = (rel: string) => resolve(root, ...rel.split('/'));
  return {
    id: row.id,
    roi: row.roi,
    season: row.season as Season,
    scene: row.scene,
    patch: row.patch,
    sceneKey: sceneKey(row),
    split: row.split,
    s2Path: abs(row.s2_path),
    s1Path: row.s1_path === null ? null : abs(row.s1_path),
    centroid: [row.centroid_lon, row.centroid_lat],
    igbpFractions: numbers(row.igbp_fractions, 'igbp_fractions', row, file),
    labelIgbp: row.label_igbp,
    labelsIgbp: numbers(row.labels_igbp, 'labels_igbp', row, file),
    label: row.label,
    labels: numbers(row.labels, 'labels', row, file),
    footprint: { epsg: row.epsg, crsRing: crsRing(row), ring: ring(row, file) },
  };
}

/** Every catalogued patch in (roi, scene, patch) order; paths are made absolute with the catalog's data set root. */
export function loadPatchItems(catalogFile: string): PatchItem[] {
  const db = openCatalogForRead(catalogFile);
  try {
    const root = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'dataset_root'").get()?.value;
    if (!root) throw new DatasetFileError(catalogFile, 'the catalog records no data set root (meta dataset_root): index the data set again');
    const rows = db.prepare<[], Row>(`SELECT ${COLUMNS.join(', ')} FROM patches ORDER BY roi, scene, patch`).all();
    return rows.map((row) => toItem(row, root, catalogFile));
  } finally {
    db.close();
  }
}
