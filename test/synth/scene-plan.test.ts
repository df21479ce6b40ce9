import { describe, expect, it } from 'vitest';
import { OFFICIAL_ROI_SETS, sceneKey } from '../../core/common/dataset/names.js';
import { loadHoldoutScenes } from '../../core/dataset/splits.js';
import { PLACES, utmEpsg } from '../../core/synth/places.js';
import { MAX_PATCHES_PER_SCENE, patchNumber, planScenes } from '../../core/synth/scene-plan.js';

describe('planScenes', () => {
  const plans = planScenes({ scenes: 120, patchesPerScene: 10, seed: 9 });
  const holdout = loadHoldoutScenes();

  it('spreads scenes evenly over the ROI sets with unique (ROI set, scene) keys', () => {
    for (const roi of OFFICIAL_ROI_SETS) expect(plans.filter((p) => p.roi === roi)).toHaveLength(30);
    expect(new Set(plans.map((p) => sceneKey(p))).size).toBe(120);
    for (const p of plans) expect(p.scene).toBeGreaterThanOrEqual(1);
  });

  it('makes about one scene in eight an official hold-out scene, and only those', () => {
    const inHoldout = plans.filter((p) => holdout.has(sceneKey(p)));
    expect(inHoldout.length).toBe(15);
    expect(inHoldout.every((p) => p.holdout)).toBe(true);
    expect(planScenes({ scenes: 1, patchesPerScene: 1, seed: 1 }).filter((p) => p.holdout)).toHaveLength(0);
    expect(planScenes({ scenes: 2, patchesPerScene: 1, seed: 1 }).filter((p) => holdout.has(sceneKey(p)))).toHaveLength(1);
  });

  it('spreads hold-out scenes over continents, and never takes more than SEN12MS has', () => {
    const test = plans.filter((p) => p.holdout);
    expect(new Set(test.map((p) => p.place.continent)).size).toBe(6);
    const many = planScenes({ scenes: 400, patchesPerScene: 1, seed: 4 });
    const manyTest = many.filter((p) => p.holdout);
    expect(manyTest).toHaveLength(holdout.size);
    expect(manyTest.every((p) => holdout.has(sceneKey(p)))).toBe(true);
    expect(many.every((p) => Number.isInteger(p.scene))).toBe(true);
    expect(new Set(many.map((p) => sceneKey(p))).size).toBe(400);
  });

  it('reuses scene numbers across seasons', () => {
    const rois = new Map<number, Set<string>>();
    for (const p of plans) rois.set(p.scene, (rois.get(p.scene) ?? new Set()).add(p.roi));
    expect([...rois.values()].filter((r) => r.size > 1).length).toBeGreaterThan(5);
  });

  it('places scenes in the UTM zone of their place, incl. zones 1 and 60 and the south', () => {
    for (const p of plans) expect(p.epsg).toBe(utmEpsg(p.place.lon, p.place.lat));
    const epsgs = new Set(plans.map((p) => p.epsg));
    expect([...epsgs].some((e) => e % 100 === 1)).toBe(true);
    expect([...epsgs].some((e) => e % 100 === 60)).toBe(true);
    expect([...epsgs].some((e) => e > 32700)).toBe(true);
    expect(new Set(plans.map((p) => p.place.name)).size).toBe(PLACES.length);
  });

  it('takes distinct grid positions in SEN12MS range, numbered row * 29 + col + 1', () => {
    for (const p of plans) {
      expect(p.cells).toHaveLength(10);
      expect(new Set(p.cells.map((c) => c.patch)).size).toBe(10);
      for (const c of p.cells) {
        expect(c.patch).toBe(patchNumber(c.row, c.col));
        expect(c.patch).toBeGreaterThanOrEqual(30);
        expect(c.patch).toBeLessThanOrEqual(840);
      }
    }
    const full = planScenes({ scenes: 1, patchesPerScene: MAX_PATCHES_PER_SCENE, seed: 2 })[0];
    expect(Math.min(...full.cells.map((c) => c.patch))).toBe(30);
    expect(Math.max(...full.cells.map((c) => c.patch))).toBe(840);
  });

  it('is deterministic per seed', () => {
    expect(planScenes({ scenes: 120, patchesPerScene: 10, seed: 9 })).toEqual(plans);
    expect(planScenes({ scenes: 120, patchesPerScene: 10, seed: 10 })).not.toEqual(plans);
  });

  it.each([
    [{ scenes: 0, patchesPerScene: 1, seed: 1 }, /scenes/],
    [{ scenes: 10_000, patchesPerScene: 1, seed: 1 }, /at most/],
    [{ scenes: 1, patchesPerScene: 785, seed: 1 }, /patchesPerScene/],
    [{ scenes: 1, patchesPerScene: 1, seed: -1 }, /seed/],
  ])('refuses %o', (opts, message) => {
    expect(() => planScenes(opts)).toThrow(message);
  });
});
