import { describe, expect, it } from 'vitest';
import type { PatchItem } from '../../core/sampler/patch-items.js';
import { multiHotTargets, singleTargets } from '../../core/sampler/targets.js';

function item(id: string, label: number, labels: number[], labelIgbp: number, labelsIgbp: number[]): PatchItem {
  return {
    id, roi: 'ROIs1158_spring', season: 'spring', scene: 1, patch: 1, sceneKey: 'ROIs1158_spring/1', split: 'train',
    s2Path: '/x.tif', s1Path: null, centroid: [0, 0], igbpFractions: [], label, labels, labelIgbp, labelsIgbp,
  };
}

const items = [item('a', 1, [1, 10], 17, [5, 17]), item('b', 10, [4], 1, [1, 2, 3])];

describe('multiHotTargets', () => {
  it('sets the 0-based positions of the 1-based labels, one row per item', () => {
    expect(Array.from(multiHotTargets(items, 10))).toEqual([
      1, 0, 0, 0, 0, 0, 0, 0, 0, 1,
      0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
    ]);
    const igbp = multiHotTargets(items, 17);
    expect(igbp).toHaveLength(34);
    expect([...igbp.keys()].filter((i) => igbp[i] === 1)).toEqual([4, 16, 17, 18, 19]);
  });

  it('refuses labels outside the scheme, naming the patch', () => {
    expect(() => multiHotTargets([item('bad', 1, [11], 1, [1])], 10)).toThrow(/bad.*11/);
    expect(() => multiHotTargets(items, 12 as 10)).toThrow(/classes/);
  });
});

describe('singleTargets', () => {
  it('gives the 0-based dominant class', () => {
    expect(Array.from(singleTargets(items, 10))).toEqual([0, 9]);
    expect(Array.from(singleTargets(items, 17))).toEqual([16, 0]);
  });

  it('refuses a label outside the scheme', () => {
    expect(() => singleTargets([item('bad', 0, [1], 1, [1])], 10)).toThrow(/bad/);
  });
});
