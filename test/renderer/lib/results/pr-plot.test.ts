import { describe, expect, it } from 'vitest';
import { precisionRecallCurve } from '../../../../core/common/metrics/pr-curve.js';
import { averagePrecision } from '../../../../core/metrics/ranking.js';
import { countInside, regionBbox } from '../../../../renderer/src/lib/results/region-counts.js';
import { classCurves, prPolyline } from '../../../../renderer/src/lib/results/pr-plot.js';

describe('classCurves', () => {
  const patches = [
    { trueLabels: [1], scores: [0.9, 0.2] },
    { trueLabels: [1, 2], scores: [0.4, 0.7] },
    { trueLabels: [], scores: [0.6, 0.1] },
  ];

  it('scores class k + 1 by column k, with the AP the reports compute', () => {
    const [a, b] = classCurves(patches, ['forest', 'water']);
    expect(a).toMatchObject({ name: 'forest', positives: 2 });
    expect(a.curve).toEqual(precisionRecallCurve([1, 1, 0], [0.9, 0.4, 0.6]));
    expect(a.ap).toBeCloseTo(averagePrecision([1, 1, 0], [0.9, 0.4, 0.6]), 12);
    expect(b.positives).toBe(1);
    expect(b.ap).toBe(1);
  });

  it('gives nothing for an evaluation without patches', () => {
    expect(classCurves([], ['forest'])).toEqual([]);
  });
});

describe('prPolyline', () => {
  it('puts recall across and precision up on fixed 0..1 axes, dropping repeated points', () => {
    const curve = { precision: [0.5, 0.5, 1], recall: [1, 1, 0], thresholds: [0.1, 0.2] };
    expect(prPolyline(curve, { size: 110, pad: 5 })).toBe('105,55 5,5');
  });
});

describe('countInside', () => {
  const region = { id: 'r', name: 'r', geometry: { type: 'Polygon' as const, coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] } };

  it('counts patches by split whose centroid lies inside, as the evaluation groups them', () => {
    const patches = [
      { centroid: [1, 1] as [number, number], split: 'train' as const },
      { centroid: [1.5, 0.5] as [number, number], split: 'test' as const },
      { centroid: [3, 1] as [number, number], split: 'train' as const },
    ];
    expect(countInside(region, patches)).toEqual({ train: 1, test: 1 });
    expect(regionBbox(region)).toEqual([0, 0, 2, 2]);
  });
});
