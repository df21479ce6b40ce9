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
import { CONTINENTS, PLACES, toUtm, utmEpsg, utmZone, type Place } from './places.js';

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
 * A place for each scene: continents take turns (the one with the fewest scenes so far, then
 * the one with the fewest in this scene's ROI set), so a few dozen scenes cover every continent
 * in every season; within a continent places come in a seeded order and repeat only when all
 * of them are taken.
 */
function assignPlaces(rois: readonly string[], rng: Rng): Place[] {
  const continents = rng.shuffle([...CONTINENTS]);
  const pools = new Map(continents.map((c) => [c, rng.shuffle(PLACES.filter((p) => p.continent === c))]));
  const total = new Map(continents.map((c) => [c, 0]));
  const perRoi = new Map(continents.map((c) => [c, new Map<string, number>()]));
  return rois.map((roi) => {
    let pick = continents[0];
    for (const c of continents) {
      const [t, r] = [total.get(c)!, perRoi.get(c)!.get(roi) ?? 0];
      const [bt, br] = [total.get(pick)!, perRoi.get(pick)!.get(roi) ?? 0];
      if (t < bt || (t === bt && r < br)) pick = c;
    }
    const pool = pools.get(pick)!;
    const n = total.get(pick)!;
    total.set(pick, n + 1);
    perRoi.get(pick)!.set(roi, (perRoi.get(pick)!.get(roi) ?? 0) + 1);
    return pool[n % pool.length];
  });
}

/**
 * Which scenes are official hold-out scenes: about one in eight (at least one when there are two
 * or more, at most as many as SEN12MS has), each on the continent with the fewest so far, then in
 * the ROI set with the fewest, so the test split has patches on as many continents as possible.
 * Ties go to later scenes. A ROI set takes no more than its number of hold-out scenes.
 */
function pickHoldouts(rois: readonly string[], places: readonly Place[], holdout: ReadonlySet<string>): boolean[] {
  const available = new Map(OFFICIAL_ROI_SETS.map((roi) => [roi as string, [...holdout].filter((k) => k.startsWith(`${roi}/`)).length]));
  const count = rois.length >= 2 ? Math.min(holdout.size, Math.max(1, Math.round(rois.length / 8))) : 0;
  const chosen = rois.map(() => false);
  const byContinent = new Map<string, number>();
  const byRoi = new Map<string, number>();
  for (let k = 0; k < count; k++) {
    let best = -1;
    for (let i = rois.length - 1; i >= 0; i--) {
      if (chosen[i] || (byRoi.get(rois[i]) ?? 0) >= available.get(rois[i])!) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const [c, r] = [byContinent.get(places[i].continent) ?? 0, byRoi.get(rois[i]) ?? 0];
      const [bc, br] = [byContinent.get(places[best].continent) ?? 0, byRoi.get(rois[best]) ?? 0];
      if (c < bc || (c === bc && r < br)) best = i;
    }
    if (best < 0) break;
    chosen[best] = true;
    byContinent.set(places[best].continent, (byContinent.get(places[best].continent) ?? 0) + 1);
    byRoi.set(rois[best], (byRoi.get(rois[best]) ?? 0) + 1);
  }
  return chosen;
}

/**
 * Scenes spread evenly over the four ROI sets and over the continents (see assignPlaces), some
 * official hold-out scenes (see pickHoldouts), so the official test split is never empty; every
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
  const rois = Array.from({ length: scenes }, (_, i) => OFFICIAL_ROI_SETS[i % OFFICIAL_ROI_SETS.length]);
  const places = assignPlaces(rois, rng.fork('places'));
  const holdouts = pickHoldouts(rois, places, holdout);
  const numbers = rng.fork('numbers');
  const cellsRng = rng.fork('cells');
  const jitter = rng.fork('jitter');
  const used = new Set<string>();
  const plans: ScenePlan[] = [];
  for (let i = 0; i < scenes; i++) {
    const roi = rois[i];
    const isHoldout = holdouts[i];
    let scene: number;
    const prev = plans[i - 1];
    if (isHoldout) {
      const free = [...holdout].filter((k) => k.startsWith(`${roi}/`) && !used.has(k)).map((k) => Number(k.split('/')[1]));
      scene = free[numbers.int(free.length)];
    } else if (i % 4 === 1 && prev && !prev.holdout && !used.has(sceneKey({ roi, scene: prev.scene })) && !holdout.has(sceneKey({ roi, scene: prev.scene }))) {
      scene = prev.scene;
    } else {
      do scene = 1 + numbers.int(MAX_SCENE);
      while (used.has(sceneKey({ roi, scene })) || holdout.has(sceneKey({ roi, scene })));
    }
    used.add(sceneKey({ roi, scene }));
    const base = places[i];
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
