/**
 * SEN12MS naming rules: `<ROIset>/<sensor>_<scene>/<ROIset>_<sensor>_<scene>_p<patch>.tif`.
 * A scene number is only unique within its ROI set, so every key below carries the ROI set.
 */

export const SENSORS = ['s1', 's2', 'lc'] as const;
export type Sensor = (typeof SENSORS)[number];

export const SEASONS = ['spring', 'summer', 'fall', 'winter'] as const;
export type Season = (typeof SEASONS)[number];

/** The four ROI sets of SEN12MS; other `ROIs<NNNN>_<season>` names are accepted as well. */
export const OFFICIAL_ROI_SETS = [
  'ROIs1158_spring',
  'ROIs1868_summer',
  'ROIs1970_fall',
  'ROIs2017_winter',
] as const;

export interface PatchRef {
  /** ROI set, e.g. "ROIs1158_spring". */
  roi: string;
  scene: number;
  patch: number;
}

const ROI_RE = /^ROIs\d{4}_(spring|summer|fall|winter)$/;
const FILE_RE = /^(ROIs\d{4}_(?:spring|summer|fall|winter))_(s1|s2|lc)_(\d+)_p(\d+)\.tif$/;
const ID_RE = /^(ROIs\d{4}_(?:spring|summer|fall|winter))_(\d+)_p(\d+)$/;
const SCENE_DIR_RE = /^(s1|s2|lc)_(\d+)$/;

export function isRoiSet(name: string): boolean {
  return ROI_RE.test(name);
}

export function seasonOf(roi: string): Season {
  const m = ROI_RE.exec(roi);
  if (!m) throw new Error(`not a SEN12MS ROI set name: "${roi}"`);
  return m[1] as Season;
}

/** "ROIs1158_spring_124_p100": the catalog's patch id. */
export function patchId(ref: PatchRef): string {
  return `${ref.roi}_${ref.scene}_p${ref.patch}`;
}

export function parsePatchId(id: string): PatchRef {
  const m = ID_RE.exec(id);
  if (!m) throw new Error(`not a SEN12MS patch id: "${id}" (expected e.g. "ROIs1158_spring_124_p100")`);
  return { roi: m[1], scene: Number(m[2]), patch: Number(m[3]) };
}

/** Identifies a scene as a place: the ROI set is part of it. */
export function sceneKey(ref: Pick<PatchRef, 'roi' | 'scene'>): string {
  return `${ref.roi}/${ref.scene}`;
}

export function patchFileName(ref: PatchRef, sensor: Sensor): string {
  return `${ref.roi}_${sensor}_${ref.scene}_p${ref.patch}.tif`;
}

/** Path relative to the data set root, always with forward slashes. */
export function patchRelPath(ref: PatchRef, sensor: Sensor): string {
  return `${ref.roi}/${sensor}_${ref.scene}/${patchFileName(ref, sensor)}`;
}

export interface ParsedPatchFile extends PatchRef {
  sensor: Sensor;
}

/** Parses a base name such as "ROIs1158_spring_s2_124_p100.tif"; null when it is not one. */
export function parsePatchFileName(name: string): ParsedPatchFile | null {
  const m = FILE_RE.exec(name);
  if (!m) return null;
  return { roi: m[1], sensor: m[2] as Sensor, scene: Number(m[3]), patch: Number(m[4]) };
}

/** Parses "s2_124" (a scene folder); null when it is not one. */
export function parseSceneDir(name: string): { sensor: Sensor; scene: number } | null {
  const m = SCENE_DIR_RE.exec(name);
  if (!m) return null;
  return { sensor: m[1] as Sensor, scene: Number(m[2]) };
}

/**
 * The partner of a patch file for another sensor, by the rule of the reference code:
 * replace `_s2_` with `_s1_` in the name and `s2_` with `s1_` in the folder.
 */
export function partnerRelPath(relPath: string, sensor: Sensor): string {
  const parts = relPath.split('/');
  const name = parts[parts.length - 1];
  const parsed = parsePatchFileName(name);
  if (!parsed) throw new Error(`not a SEN12MS patch file name: "${name}"`);
  return patchRelPath(parsed, sensor);
}
