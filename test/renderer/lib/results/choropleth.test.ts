import { describe, expect, it } from 'vitest';
import type { PatchDetail } from '../../../../core/common/catalog/patch-types.js';
import { signedArea2 } from '../../../../core/dataset/footprint.js';
import { METRIC_DEFINITIONS, type ClassificationReport, type GroupReport } from '../../../../core/common/metrics/report-types.js';
import { multiLabelReport, singleLabelReport } from '../../../../core/metrics/report.js';
import { choroplethOverlay, convexHull, groupExtent } from '../../../../renderer/src/lib/results/choropleth.js';

type Pt = [number, number];

function square(lon: number, lat: number, side = 0.1): Pt[] {
  return [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]];
}

function patch(roi: string, scene: number, n: number, at: Pt): PatchDetail {
  const season = roi.split('_')[1] as PatchDetail['season'];
  return {
    id: `${roi}_${scene}_p${n}`,
    centroid: [at[0] + 0.05, at[1] + 0.05],
    label: 1,
    labels: [1],
    split: 'test',
    season,
    roi,
    scene,
    patch: n,
    sensors: ['lc', 's1', 's2'],
    epsg: 32633,
    footprint: square(at[0], at[1]),
    igbpFractions: [],
    paths: { s2: '', s1: null, lc: '' },
  };
}

const names = ['a', 'b'];
const single = (yTrue: number[], yPred: number[]) => singleLabelReport(yTrue, yPred, names);
function group(name: string, report: ClassificationReport | null, n = report?.n ?? 0): GroupReport<ClassificationReport> {
  return { group: name, n, report };
}

describe('convexHull', () => {
  it('keeps the corners of a point cloud, counter-clockwise and closed', () => {
    const pts: Pt[] = [[0, 0], [2, 0], [2, 2], [0, 2], [1, 1], [1, 0], [0.5, 1.5], [2, 2]];
    const hull = convexHull(pts);
    expect(hull[0]).toEqual(hull.at(-1));
    const open = hull.slice(0, -1);
    expect(new Set(open.map((p) => p.join()))).toEqual(new Set(['0,0', '2,0', '2,2', '0,2']));
    expect(signedArea2(open)).toBe(8);
  });

  it('returns degenerate input as it is, closed', () => {
    expect(convexHull([[1, 1], [1, 1]])).toEqual([[1, 1], [1, 1]]);
  });
});

describe('choroplethOverlay', () => {
  const patches = [
    patch('ROIs1158_spring', 1, 10, [10, 50]),
    patch('ROIs1158_spring', 1, 11, [10.1, 50]),
    patch('ROIs1158_spring', 2, 10, [-70, -37]),
    patch('ROIs1970_fall', 1, 10, [100, 10]),
  ];

  it('draws a scene as the hull of its patches, valued by its headline metric', () => {
    const overlay = choroplethOverlay([group('ROIs1158_spring/1', single([0, 1, 1, 0], [0, 1, 0, 0]))], 'scene', patches, []);
    expect(overlay.features.features).toHaveLength(1);
    const f = overlay.features.features[0];
    expect(f.properties).toEqual({ value: 0.75, name: 'ROIs1158_spring/1', n: 4 });
    expect(f.geometry.type).toBe('Polygon');
    const ring = (f.geometry.coordinates as number[][][])[0];
    const lons = ring.map((p) => p[0]);
    expect(Math.min(...lons)).toBe(10);
    expect(Math.max(...lons)).toBeCloseTo(10.2, 10);
    expect(overlay.legend).toBe('average accuracy');
    expect(overlay.title).toBe('Per scene');
    expect(overlay.definition).toBe(METRIC_DEFINITIONS.average_accuracy);
  });

  it('draws a season as the union of its scenes, not one hull across the globe', () => {
    const overlay = choroplethOverlay([group('spring', single([0, 1], [0, 1])), group('fall', single([0], [1]))], 'season', patches, []);
    const spring = overlay.features.features.find((f) => f.properties.name === 'spring')!;
    expect(spring.geometry.type).toBe('MultiPolygon');
    expect(spring.geometry.coordinates).toHaveLength(2);
    expect(spring.properties.value).toBe(1);
    expect(overlay.features.features.find((f) => f.properties.name === 'fall')?.properties.value).toBe(0);
  });

  it('uses drawn regions as they are, draws an empty one with its reason, leaves a deleted one off', () => {
    const geometry = { type: 'Polygon' as const, coordinates: [square(0, 0, 5)] };
    const sea = { type: 'Polygon' as const, coordinates: [square(20, 20, 1)] };
    const multi = multiLabelReport([[1, 0], [1, 1]], [[0.9, 0.1], [0.8, 0.2]], 0.5, names);
    const overlay = choroplethOverlay(
      [group('fields', multi), group('empty', null, 0), group('deleted', multi)],
      'region',
      patches,
      [{ id: 'r1', name: 'fields', geometry }, { id: 'r2', name: 'empty', geometry: sea }],
      new Map([['empty', 'no test-split patches inside this region']]),
    );
    expect(overlay.features.features.map((f) => f.properties.name)).toEqual(['fields', 'empty']);
    expect(overlay.features.features[0].geometry).toEqual(geometry);
    expect(overlay.features.features[0].properties.value).toBeCloseTo(0.75, 12);
    expect(overlay.features.features[1].properties).toEqual({ value: null, name: 'empty', n: 0, reason: 'no test-split patches inside this region' });
    expect(overlay.legend).toBe('sample-averaged Jaccard');
    expect(groupExtent(overlay, 'empty')).toEqual([20, 20, 21, 21]);
    expect(groupExtent(overlay, 'deleted')).toBeNull();
  });

  it('colours by the figure the research reports: average accuracy for single-label, sample-averaged Jaccard for multi-label', () => {
    // Three of four right, but class b never: overall accuracy 0.75, average accuracy (mean recall) 0.5.
    const skewed = single([0, 0, 0, 1], [0, 0, 0, 0]);
    expect(skewed).toMatchObject({ overall_accuracy: 0.75, average_accuracy: 0.5 });
    const byScheme = (report: ClassificationReport) => choroplethOverlay([group('spring', report)], 'season', patches, []);
    expect(byScheme(skewed).features.features[0].properties.value).toBe(0.5);
    expect(byScheme(skewed).legend).toBe('average accuracy');
    const multi = multiLabelReport([[1, 1]], [[0.9, 0.1]], 0.5, names);
    expect(byScheme(multi).features.features[0].properties.value).toBe(multi.jaccard_samples);
    expect(byScheme(multi).legend).toBe('sample-averaged Jaccard');
    expect(byScheme(multi).definition).toBe(METRIC_DEFINITIONS.jaccard_samples);
  });
});

describe('groupExtent', () => {
  it("spans every part of a season's scenes", () => {
    const patches = [patch('ROIs1158_spring', 1, 10, [10, 50]), patch('ROIs1158_spring', 2, 10, [-70, -37])];
    const overlay = choroplethOverlay([group('spring', single([0], [0]))], 'season', patches, []);
    const [minLon, minLat, maxLon, maxLat] = groupExtent(overlay, 'spring')!;
    expect([minLon, minLat]).toEqual([-70, -37]);
    expect(maxLon).toBeCloseTo(10.1, 10);
    expect(maxLat).toBeCloseTo(50.1, 10);
  });
});
