import { describe, expect, it } from 'vitest';
import type { Region } from '../../core/common/geo/geojson-regions.js';
import {
  groupRecords,
  multiLabelReportsByGroup,
  singleLabelReportsByGroup,
  type SingleLabelRecord,
} from '../../core/metrics/regions.js';

const NAMES = ['forest', 'grassland', 'water'];

function record(
  id: string,
  scene: string,
  centroid: [number, number],
  yTrue: number,
  yPred: number,
): SingleLabelRecord {
  const season = scene.split('/')[0].split('_')[1] as SingleLabelRecord['season'];
  return { id, scene, season, centroid, yTrue, yPred };
}

// scene keys chosen so that plain string order would be wrong ("10" < "9")
const RECORDS = [
  record('a', 'ROIs2017_winter/3', [10.5, 45.5], 0, 0),
  record('b', 'ROIs1158_spring/10', [10.5, 46.5], 1, 1),
  record('c', 'ROIs1158_spring/10', [11.5, 46.5], 1, 2),
  record('d', 'ROIs1158_spring/9', [20.5, 45.5], 2, 2),
  record('e', 'ROIs1158_spring/9', [10.5, 45.2], 0, 1),
];

const box = (name: string, lon0: number, lat0: number, lon1: number, lat1: number): Region => ({
  name,
  polygons: [
    [
      [
        [lon0, lat0],
        [lon1, lat0],
        [lon1, lat1],
        [lon0, lat1],
        [lon0, lat0],
      ],
    ],
  ],
});

describe('groupRecords', () => {
  it('orders scenes by ROI set, then scene number', () => {
    const groups = groupRecords(RECORDS, { by: 'scene' });
    expect(groups.map((g) => [g.name, g.records.map((r) => r.id)])).toEqual([
      ['ROIs1158_spring/9', ['d', 'e']],
      ['ROIs1158_spring/10', ['b', 'c']],
      ['ROIs2017_winter/3', ['a']],
    ]);
  });

  it('orders seasons by the calendar and lists only those present', () => {
    expect(groupRecords(RECORDS, { by: 'season' }).map((g) => [g.name, g.records.length])).toEqual([
      ['spring', 4],
      ['winter', 1],
    ]);
  });

  it('puts a patch into every region that holds its centroid, and keeps empty regions', () => {
    const regions = [box('west', 10, 45, 11, 47), box('north', 10, 46, 12, 47), box('ocean', -40, 0, -30, 10)];
    const groups = groupRecords(RECORDS, { by: 'region', regions });
    expect(groups.map((g) => [g.name, g.records.map((r) => r.id)])).toEqual([
      ['west', ['a', 'b', 'e']],
      ['north', ['b', 'c']],
      ['ocean', []],
    ]);
  });
});

describe('reports by group', () => {
  it('computes one report per scene with its n', () => {
    const reports = singleLabelReportsByGroup(RECORDS, { by: 'scene' }, NAMES);
    // scene 9: d right, e wrong; scene 10: b right, c wrong; winter 3: a right
    expect(reports.map((r) => [r.group, r.n, r.report?.overall_accuracy])).toEqual([
      ['ROIs1158_spring/9', 2, 0.5],
      ['ROIs1158_spring/10', 2, 0.5],
      ['ROIs2017_winter/3', 1, 1],
    ]);
    expect(reports[2].report?.confusion_matrix[0]).toEqual([1, 0, 0]);
  });

  it('gives a region without patches n 0 and no report', () => {
    const grouping = { by: 'region', regions: [box('ocean', -40, 0, -30, 10)] } as const;
    const reports = singleLabelReportsByGroup(RECORDS, grouping, NAMES);
    expect(reports).toEqual([{ group: 'ocean', n: 0, report: null }]);
  });

  it('scores multi-label records per season', () => {
    const multi = RECORDS.map((r, i) => ({
      ...r,
      yTrue: [1, 0, i % 2],
      scores: [0.9, 0.1, i === 4 ? 0.8 : 0.2],
    }));
    const reports = multiLabelReportsByGroup(multi, { by: 'season' }, 0.5, NAMES);
    // spring rows (i = 1..4): true {0,2}, {0}, {0,2}, {0} with predicted {0}, {0}, {0}, {0,2}
    // -> Jaccard 1/2, 1, 1/2, 1/2; winter (i = 0): {0} vs {0} -> 1
    expect(reports.map((r) => [r.group, r.n, r.report?.jaccard_samples])).toEqual([
      ['spring', 4, 2.5 / 4],
      ['winter', 1, 1],
    ]);
  });

  it('names the record and field of a bad input', () => {
    const bad = [...RECORDS, { ...RECORDS[0], yPred: 7 }];
    expect(() => singleLabelReportsByGroup(bad, { by: 'scene' }, NAMES)).toThrow(
      'records[5].yPred: expected a class index in 0..2, got 7',
    );
    const noCentroid = [RECORDS[0], { ...RECORDS[1], centroid: [Number.NaN, 3] as [number, number] }];
    expect(() => groupRecords(noCentroid, { by: 'region', regions: [] })).toThrow('records[1].centroid');
    // the centroid is not needed to group by scene
    expect(groupRecords(noCentroid, { by: 'scene' })).toHaveLength(2);
    const badSeason = [{ ...RECORDS[0], season: 'autumn' as SingleLabelRecord['season'] }];
    expect(() => groupRecords(badSeason, { by: 'season' })).toThrow('records[0].season: expected one of spring');
    const multi = [{ ...RECORDS[0], yTrue: [1, 0], scores: [0.5, 0.5, 0.5] }];
    expect(() => multiLabelReportsByGroup(multi, { by: 'scene' }, 0.5, NAMES)).toThrow('records[0].yTrue: expected 3 values');
  });
});
