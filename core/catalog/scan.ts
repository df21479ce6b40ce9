/**
 * Walks a SEN12MS folder tree one scene at a time, so a 180,000-patch data set never sits in
 * memory at once: `<root>/<ROIset>/<sensor>_<scene>/<ROIset>_<sensor>_<scene>_p<patch>.tif`.
 * Only ROI-set folders at the root belong to the data set (the root may also hold archives or
 * split lists); anything else inside an ROI set is reported as a stray file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isRoiSet, parsePatchFileName, parseSceneDir, SENSORS, type Sensor } from '../common/dataset/names.js';
import { escapeFileName } from '../common/util/file-name.js';
import type { CatalogProblem as Problem } from '../common/catalog/patch-types.js';

export interface FileStat {
  /** Relative to the data set root, forward slashes. */
  rel: string;
  size: number;
  mtimeMs: number;
}

export interface SceneFiles {
  roi: string;
  scene: number;
  /** Patch number -> file, per sensor. */
  files: Record<Sensor, Map<number, FileStat>>;
}

export type ScanItem = { kind: 'scene'; scene: SceneFiles } | { kind: 'problem'; problem: Problem };

// Hidden entries (.DS_Store, editor swap files) are noise of the file system, not of the data set.
const isHidden = (name: string) => name.startsWith('.');

function errorReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `cannot read (${e.code})` : `cannot read (${e.message})`;
}

/**
 * A folder's entry names as bytes, escaped (escapeFileName): a name that is not UTF-8 or holds a
 * newline is reported as a path that maps back to the real file, never with U+FFFD or raw
 * control characters. Names that need no escape (every SEN12MS name) come back as they are.
 */
async function readNames(folder: string): Promise<string[]> {
  const names = await fs.promises.readdir(folder, { encoding: 'buffer' });
  return names.map((name) => escapeFileName(name));
}

/** The ROI-set folders of a data set; throws when the root itself cannot be listed. */
export async function listRoiSets(root: string): Promise<string[]> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(root);
  } catch (err) {
    throw new Error(`data set folder ${root}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : errorReason(err)}`);
  }
  if (!stat.isDirectory()) throw new Error(`data set folder ${root}: not a directory`);
  try {
    const names: string[] = [];
    for await (const entry of await fs.promises.opendir(root)) {
      if (isRoiSet(entry.name) && (entry.isDirectory() || entry.isSymbolicLink())) names.push(entry.name);
    }
    return names.sort();
  } catch (err) {
    throw new Error(`data set folder ${root}: ${errorReason(err)}`);
  }
}

/** The scene folders of one ROI set, grouped by scene number, plus stray entries. */
async function listRoi(root: string, roi: string, problems: Problem[]): Promise<Map<number, Sensor[]>> {
  const scenes = new Map<number, Sensor[]>();
  let names: string[];
  try {
    names = await readNames(path.join(root, roi));
  } catch (err) {
    problems.push({ file: roi, reason: errorReason(err) });
    return scenes;
  }
  for (const name of names.sort()) {
    if (isHidden(name)) continue;
    const dir = parseSceneDir(name);
    if (!dir) {
      problems.push({ file: `${roi}/${name}`, reason: 'stray entry: not a SEN12MS scene folder (<sensor>_<scene>)' });
      continue;
    }
    const sensors = scenes.get(dir.scene) ?? [];
    sensors.push(dir.sensor);
    scenes.set(dir.scene, sensors);
  }
  return scenes;
}

async function listSceneFolder(root: string, roi: string, sensor: Sensor, scene: number, problems: Problem[]): Promise<Map<number, FileStat>> {
  const found = new Map<number, FileStat>();
  const folderRel = `${roi}/${sensor}_${scene}`;
  const folder = path.join(root, roi, `${sensor}_${scene}`);
  let names: string[];
  try {
    names = await readNames(folder);
  } catch (err) {
    problems.push({ file: folderRel, reason: errorReason(err) });
    return found;
  }
  for (const name of names.sort()) {
    if (isHidden(name)) continue;
    const rel = `${folderRel}/${name}`;
    const parsed = parsePatchFileName(name);
    if (!parsed) {
      problems.push({ file: rel, reason: 'stray file: not a SEN12MS patch file name' });
      continue;
    }
    if (parsed.roi !== roi || parsed.sensor !== sensor || parsed.scene !== scene) {
      problems.push({ file: rel, reason: `stray file: a patch of ${parsed.roi}/${parsed.sensor}_${parsed.scene}, not of this folder` });
      continue;
    }
    let stat: fs.Stats;
    try {
      // Sync stat: a few microseconds on a cached tree, far cheaper than a promise per file.
      stat = fs.statSync(path.join(folder, name));
    } catch (err) {
      problems.push({ file: rel, reason: errorReason(err) });
      continue;
    }
    if (!stat.isFile()) {
      problems.push({ file: rel, reason: 'stray entry: not a regular file' });
      continue;
    }
    found.set(parsed.patch, { rel, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  return found;
}

export async function* scanDataset(root: string, roiSets: string[]): AsyncGenerator<ScanItem> {
  for (const roi of roiSets) {
    const problems: Problem[] = [];
    const scenes = await listRoi(root, roi, problems);
    yield* problems.map((problem): ScanItem => ({ kind: 'problem', problem }));
    for (const scene of [...scenes.keys()].sort((a, b) => a - b)) {
      const sceneProblems: Problem[] = [];
      const files = {} as Record<Sensor, Map<number, FileStat>>;
      for (const sensor of SENSORS) {
        files[sensor] = scenes.get(scene)!.includes(sensor)
          ? await listSceneFolder(root, roi, sensor, scene, sceneProblems)
          : new Map();
      }
      yield* sceneProblems.map((problem): ScanItem => ({ kind: 'problem', problem }));
      yield { kind: 'scene', scene: { roi, scene, files } };
    }
  }
}

/** Number of S2 patch files, from folder listings only: the total of a progress bar. */
export async function countS2Files(root: string, roiSets: string[]): Promise<number> {
  let count = 0;
  for (const roi of roiSets) {
    for (const [scene, sensors] of await listRoi(root, roi, [])) {
      if (!sensors.includes('s2')) continue;
      const names = await fs.promises.readdir(path.join(root, roi, `s2_${scene}`)).catch(() => [] as string[]);
      count += names.filter((n) => n.endsWith('.tif')).length;
    }
  }
  return count;
}
