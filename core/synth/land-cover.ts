/**
 * Which IGBP classes a synthetic scene holds, and the LCCS codes (MODIS MCD12Q1 LC_Prop1..3,
 * the other three bands of a SEN12MS LC patch) that go with each IGBP class.
 */
import type { Season } from '../common/dataset/names.js';
import type { Rng } from '../util/rng.js';
import type { Biome, Place } from './places.js';

export const WATER = 17;
export const SNOW = 15;
export const URBAN = 13;

/** Typical IGBP class shares per biome (water and snow are laid over the scene separately). */
const BIOME_CLASSES: Record<Biome, Record<number, number>> = {
  temperate: { 12: 0.35, 4: 0.15, 5: 0.15, 14: 0.12, 13: 0.08, 10: 0.08, 1: 0.02, 17: 0.05 },
  boreal: { 1: 0.4, 5: 0.2, 11: 0.1, 8: 0.08, 7: 0.05, 4: 0.05, 3: 0.02, 17: 0.1 },
  tropical: { 2: 0.5, 12: 0.12, 14: 0.1, 8: 0.08, 9: 0.05, 11: 0.05, 13: 0.04, 17: 0.06 },
  arid: { 16: 0.45, 7: 0.25, 10: 0.1, 12: 0.08, 13: 0.07, 6: 0.02, 17: 0.03 },
  savanna: { 9: 0.3, 8: 0.2, 10: 0.18, 12: 0.14, 7: 0.08, 13: 0.04, 2: 0.03, 17: 0.03 },
  tundra: { 7: 0.35, 10: 0.25, 16: 0.1, 11: 0.1, 3: 0.03, 17: 0.12 },
  island: { 2: 0.3, 12: 0.12, 14: 0.1, 8: 0.1, 13: 0.08, 10: 0.05, 17: 0.25 },
  steppe: { 10: 0.5, 12: 0.25, 7: 0.1, 16: 0.06, 13: 0.04, 17: 0.05 },
  wetland: { 11: 0.4, 10: 0.15, 12: 0.12, 14: 0.08, 9: 0.08, 2: 0.05, 13: 0.02, 17: 0.3 },
  // The edge of a city: built-up land between fields and parks, never only city (scenePalette).
  urban: { 13: 0.4, 12: 0.2, 14: 0.12, 10: 0.1, 4: 0.08, 8: 0.05, 17: 0.08 },
};

const OPPOSITE: Record<Season, Season> = { spring: 'fall', summer: 'winter', fall: 'spring', winter: 'summer' };

/** The ROI sets are named by northern seasons; south of the equator the local season is the opposite. */
export function localSeason(season: Season, lat: number): Season {
  return lat < 0 ? OPPOSITE[season] : season;
}

export interface ScenePalette {
  /** Land classes laid out as regions, with their shares (sum 1). */
  classes: number[];
  shares: number[];
  /** Fractions of the scene under water and under snow. */
  water: number;
  snow: number;
}

function snowShare(place: Place, season: Season, rng: Rng): number {
  if (season !== 'winter') return place.biome === 'tundra' && season !== 'summer' ? rng.uniform(0, 0.3) : 0;
  const lat = Math.abs(place.lat);
  if (place.biome === 'tundra' || place.biome === 'boreal') return rng.uniform(0.3, 0.8);
  if (lat > 45) return rng.uniform(0, 0.35);
  return 0;
}

/** A few classes with one dominant, shares varied per scene so labels differ between scenes. */
export function scenePalette(place: Place, season: Season, rng: Rng): ScenePalette {
  const local = localSeason(season, place.lat);
  const base = BIOME_CLASSES[place.biome];
  const land = Object.keys(base)
    .map(Number)
    .filter((c) => c !== WATER);
  const count = Math.min(land.length, 3 + rng.int(4));
  const weights = land.map((c) => base[c] * Math.exp(0.8 * rng.normal()));
  const classes: number[] = [];
  const shares: number[] = [];
  for (let k = 0; k < count; k++) {
    const total = weights.reduce((s, w) => s + w, 0);
    let u = rng.next() * total;
    const pick = weights.findIndex((w) => (u -= w) < 0);
    const i = pick < 0 ? weights.length - 1 : pick;
    classes.push(land[i]);
    // The first pick dominates the scene, unless it is urban: no scene is mostly city.
    shares.push(weights[i] * (k === 0 && land[i] !== URBAN ? 3 : 1));
    weights[i] = 0;
  }
  const sum = shares.reduce((s, w) => s + w, 0);
  const water = rng.next() < 0.75 ? Math.min(0.6, (base[WATER] ?? 0) * Math.exp(0.9 * rng.normal())) : 0;
  return { classes, shares: shares.map((s) => s / sum), water, snow: snowShare(place, local, rng) };
}

/** LC_Prop1 (LCCS land cover), LC_Prop2 (land use), LC_Prop3 (surface hydrology) per IGBP class. */
const LCCS: Record<number, [number, number, number]> = {
  1: [11, 10, 10],
  2: [12, 10, 10],
  3: [13, 10, 10],
  4: [14, 10, 10],
  5: [15, 10, 10],
  6: [41, 40, 40],
  7: [43, 40, 40],
  8: [21, 20, 20],
  9: [22, 20, 30],
  10: [31, 30, 30],
  11: [31, 30, 50],
  12: [31, 36, 30],
  13: [32, 9, 30],
  14: [31, 35, 30],
  15: [2, 2, 2],
  16: [1, 1, 1],
  17: [3, 3, 3],
};

/** LCCS codes of an IGBP class; open land in the tundra is hydrology class 51 (Tundra). */
export function lccsCodes(igbp: number, biome: Biome): [number, number, number] {
  const codes = LCCS[igbp];
  if (biome === 'tundra' && (igbp === 7 || igbp === 10)) return [codes[0], codes[1], 51];
  return codes;
}
