/**
 * The embedded sample's plan: places on every inhabited continent, in every ROI set, hold-out
 * scenes spread over the continents, land cover that depends on the place and its local season.
 * (sample.test.ts generates the files and checks them.)
 */
import { describe, expect, it } from 'vitest';
import { OFFICIAL_ROI_SETS, sceneKey } from '../../core/common/dataset/names.js';
import { loadHoldoutScenes } from '../../core/dataset/splits.js';
import { Rng } from '../../core/util/rng.js';
import { localSeason, scenePalette } from '../../core/synth/land-cover.js';
import { CONTINENTS, PLACES, type Place } from '../../core/synth/places.js';
import { SAMPLE_SPEC } from '../../core/synth/sample.js';
import { planScenes } from '../../core/synth/scene-plan.js';
import { continentOf } from './continent-boxes.js';

const plans = planScenes(SAMPLE_SPEC);
const holdout = loadHoldoutScenes();

describe('the embedded sample plan', () => {
  it('is a few hundred patches in overlapping clusters at 30 or more distinct places', () => {
    const patches = plans.reduce((n, p) => n + p.cells.length, 0);
    expect(patches).toBeGreaterThanOrEqual(200);
    expect(patches).toBeLessThanOrEqual(400);
    expect(new Set(plans.map((p) => p.place.name)).size).toBeGreaterThanOrEqual(30);
    // Places at least a scene's width apart (about 0.2 degrees), so no two scenes share ground.
    for (const a of plans) {
      for (const b of plans) {
        if (a !== b) expect(Math.hypot(a.place.lon - b.place.lon, a.place.lat - b.place.lat)).toBeGreaterThan(0.3);
      }
    }
  });

  it('holds scenes in each of the four ROI sets on every inhabited continent', () => {
    for (const continent of CONTINENTS) {
      const rois = new Set(plans.filter((p) => p.place.continent === continent).map((p) => p.roi));
      expect([continent, [...rois].sort()]).toEqual([continent, [...OFFICIAL_ROI_SETS].sort()]);
    }
  });

  it('puts the places where their continent is, by an independent map', () => {
    const checked = plans.filter((p) => continentOf(p.place.lon, p.place.lat) !== undefined);
    expect(checked.length).toBeGreaterThan(plans.length / 2);
    for (const p of checked) expect([p.place.name, continentOf(p.place.lon, p.place.lat)]).toEqual([p.place.name, p.place.continent]);
    expect(new Set(checked.map((p) => p.place.continent)).size).toBe(CONTINENTS.length);
  });

  it('makes official hold-out scenes, and only those, the test scenes, on every continent', () => {
    const test = plans.filter((p) => holdout.has(sceneKey(p)));
    expect(test.every((p) => p.holdout)).toBe(true);
    expect(plans.filter((p) => p.holdout)).toEqual(test);
    expect(new Set(test.map((p) => p.place.continent)).size).toBe(CONTINENTS.length);
    // Most scenes stay for training.
    expect(test.length).toBeLessThanOrEqual(plans.length / 4);
  });

  it('is the same plan for the same seed, and another for another seed', () => {
    expect(planScenes(SAMPLE_SPEC)).toEqual(plans);
    const other = planScenes({ ...SAMPLE_SPEC, seed: SAMPLE_SPEC.seed + 1 });
    expect(other.map((p) => [p.place.name, p.roi, p.scene])).not.toEqual(plans.map((p) => [p.place.name, p.roi, p.scene]));
  });

  it('draws land cover from the place: biomes differ between continents', () => {
    const biomes = (continent: string) => new Set(plans.filter((p) => p.place.continent === continent).map((p) => p.place.biome));
    expect(new Set(plans.map((p) => p.place.biome)).size).toBeGreaterThanOrEqual(8);
    for (const c of CONTINENTS) expect(biomes(c).size).toBeGreaterThanOrEqual(3);
    // Averaged over many scenes, each biome's largest class is its own: what a patch shows
    // depends on where it is, so a classifier's accuracy can differ across the map.
    const largest = (biome: Place['biome']) => {
      const mean = new Array<number>(18).fill(0);
      const rng = new Rng(7);
      for (let k = 0; k < 300; k++) {
        const palette = scenePalette({ ...PLACES[0], biome }, 'summer', rng);
        palette.classes.forEach((c, i) => (mean[c] += palette.shares[i]));
      }
      return mean.indexOf(Math.max(...mean));
    };
    const expected = { temperate: 12, boreal: 1, tropical: 2, arid: 16, savanna: 9, tundra: 7, steppe: 10, wetland: 11, urban: 13, island: 2 } as const;
    for (const biome of new Set(plans.map((p) => p.place.biome))) expect([biome, largest(biome)]).toEqual([biome, expected[biome]]);
  });
});

describe('seasons by hemisphere', () => {
  const north: Place = { name: 'n', lon: 26, lat: 62, biome: 'boreal', continent: 'Europe' };
  const south: Place = { ...north, name: 's', lat: -62 };

  it('names ROI sets by northern seasons: south of the equator the local season is the opposite', () => {
    expect(localSeason('winter', 62)).toBe('winter');
    expect(localSeason('winter', -62)).toBe('summer');
    expect(localSeason('spring', -30)).toBe('fall');
  });

  it('snows on the northern boreal scene in the winter ROI set, and on the southern one in the summer ROI set', () => {
    const snow = (p: Place, season: 'winter' | 'summer') => scenePalette(p, season, new Rng(3)).snow;
    expect(snow(north, 'winter')).toBeGreaterThan(0);
    expect(snow(south, 'winter')).toBe(0);
    expect(snow(south, 'summer')).toBeGreaterThan(0);
    expect(snow(north, 'summer')).toBe(0);
  });
});
