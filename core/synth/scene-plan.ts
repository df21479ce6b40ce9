/**
 * Where the synthetic scenes are and which patches they hold. SEN12MS cuts a scene into a grid of
 * 29 x 29 positions at a stride of 128 pixels (patch number = row * 29 + col + 1, edge rows and
 * columns dropped, hence numbers about 30..840); a synthetic scene takes a compact cluster of
 * those positions so that neighbours overlap by 50% (side by side) or 25% (diagonal).
 */
import { OFFICIAL_ROI_SETS, seasonOf, sceneKey, type Season } from '../common/dataset/names.js';
import { PATCH_SIZE } from '../dataset/patch-reader.js';
import { loadHoldoutScenes } from '../dataset/splits.js';
import { Rng } from '../util/rng.js';
import { PLACES, toUtm, utmEpsg, utmZone, type Place } from './places.js';

export const STRIDE = 128;
export const PIXEL_SIZE = 10;
const GRID = 29;
const FIRST_ROW = 1;
const LAST_ROW = 28;
const LAST_COL = 27;
/** Scene numbers per ROI set in SEN12MS run up to about 150. */
const MAX_SCENE = 149;
export const MAX_PATCHES_PER_SCENE = (LAST_ROW - FIRST_ROW + 1) * (LAST_COL + 1);

export interface PatchCell {
  row: number;
  col: number;
  patch: number;
}

export interface ScenePlan {
  roi: string;
  season: Season;
  scene: number;
  place: Place;
  epsg: number;
  /** UTM coordinates of the upper-left corner of grid position (0, 0). */
  gridOrigin: [number, number];
  cells: PatchCell[];
  holdout: boolean;
  seed: number;
}

export interface PlanOptions {
  scenes: number;
  patchesPerScene: number;
  seed: number;
}

export function patchNumber(row: number, col: number): number {
  return row * GRID + col + 1;
}

/** Rounded to the centimetre, like the origins of the real files. */
const cm = (v: number) => Math.round(v * 100) / 100;

function pickCells(m: number, rng: Rng): PatchCell[] {
  // A block a little larger than needed, with some positions left out, as in real scenes.
  const cols = Math.min(LAST_COL + 1, Math.ceil(Math.sqrt(m * 1.4)));
  const rows = Math.min(LAST_ROW - FIRST_ROW + 1, Math.ceil((m * 1.4) / cols));
  const r0 = FIRST_ROW + rng.int(LAST_ROW - FIRST_ROW + 2 - rows);
  const c0 = rng.int(LAST_COL + 2 - cols);
  const all: PatchCell[] = [];
  for (let r = r0; r < r0 + rows; r++) for (let c = c0; c < c0 + cols; c++) all.push({ row: r, col: c, patch: patchNumber(r, c) });
  return rng
    .shuffle(all)
    .slice(0, m)
    .sort((a, b) => a.patch - b.patch);
}

/**
 * Scenes spread evenly over the four ROI sets; about one in eight (at least one when there are
 * two or more) is an official hold-out scene, so the official test split is never empty; every
 * fourth scene reuses the number of the one before it in another season, at another place.
 */
export function planScenes(opts: PlanOptions): ScenePlan[] {
  const { scenes, patchesPerScene, seed } = opts;
  if (!Number.isInteger(scenes) || scenes < 1) throw new RangeError(`scenes must be a positive integer, got ${scenes}`);
  if (!Number.isInteger(patchesPerScene) || patchesPerScene < 1 || patchesPerScene > MAX_PATCHES_PER_SCENE) {
    throw new RangeError(`patchesPerScene must be an integer in 1..${MAX_PATCHES_PER_SCENE}, got ${patchesPerScene}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  const holdout = loadHoldoutScenes();
  const perRoi = OFFICIAL_ROI_SETS.map((roi) => MAX_SCENE - [...holdout].filter((k) => k.startsWith(`${roi}/`)).length);
  const capacity = Math.min(...perRoi) * OFFICIAL_ROI_SETS.length;
  if (scenes > capacity) throw new RangeError(`scenes must be at most ${capacity} (SEN12MS scene numbers per ROI set), got ${scenes}`);

  const rng = new Rng(seed);
  const placeOrder = rng.fork('places').shuffle([...PLACES]);
  const numbers = rng.fork('numbers');
  const cellsRng = rng.fork('cells');
  const jitter = rng.fork('jitter');
  const holdoutCount = scenes >= 2 ? Math.max(1, Math.round(scenes / 8)) : 0;
  const used = new Set<string>();
  const plans: ScenePlan[] = [];
  for (let i = 0; i < scenes; i++) {
    const roi = OFFICIAL_ROI_SETS[i % OFFICIAL_ROI_SETS.length];
    const isHoldout = i >= scenes - holdoutCount;
    let scene: number;
    const prev = plans[i - 1];
    if (isHoldout) {
      const free = [...holdout].filter((k) => k.startsWith(`${roi}/`) && !used.has(k)).map((k) => Number(k.split('/')[1]));
      scene = free[numbers.int(free.length)];
    } else if (i % 4 === 1 && prev && !prev.holdout && !used.has(sceneKey({ roi, scene: prev.scene }))) {
      scene = prev.scene;
    } else {
      do scene = 1 + numbers.int(MAX_SCENE);
      while (used.has(sceneKey({ roi, scene })) || holdout.has(sceneKey({ roi, scene })));
    }
    used.add(sceneKey({ roi, scene }));
    const base = placeOrder[i % placeOrder.length];
    // Repeated places move a little so that no two scenes cover the same ground.
    // A scene spans about 0.2 degrees; it stays 0.5 degrees inside its UTM zone, so all its
    // patches belong to that zone.
    const west = (utmZone(base.lon) - 1) * 6 - 180;
    const lon = Math.min(west + 5.5, Math.max(west + 0.5, base.lon + jitter.uniform(-0.25, 0.25)));
    // Likewise 0.4 degrees off the equator, so the whole scene is in one hemisphere.
    const lat = base.lat + jitter.uniform(-0.25, 0.25);
    const place = { ...base, lon, lat: Math.sign(base.lat) * Math.max(0.4, Math.abs(lat)) };
    const epsg = utmEpsg(place.lon, place.lat);
    const [e, n] = toUtm(epsg, place.lon, place.lat);
    const half = ((GRID - 1) * STRIDE + PATCH_SIZE) * PIXEL_SIZE / 2;
    plans.push({
      roi,
      season: seasonOf(roi),
      scene,
      place,
      epsg,
      gridOrigin: [cm(e - half), cm(n + half)],
      cells: pickCells(patchesPerScene, cellsRng),
      holdout: isHoldout,
      seed: rng.nextU32(),
    });
  }
  return plans;
}

/** UTM coordinates of a patch's upper-left corner. */
export function patchOrigin(plan: ScenePlan, cell: PatchCell): [number, number] {
  return [plan.gridOrigin[0] + cell.col * STRIDE * PIXEL_SIZE, plan.gridOrigin[1] - cell.row * STRIDE * PIXEL_SIZE];
}
