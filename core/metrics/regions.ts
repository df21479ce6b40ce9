/**
 * Metrics per group of patches: per scene, per season, or per user-drawn region. A patch belongs
 * to a region when its centroid is inside it; a patch inside several regions counts in each.
 */
import { SEASONS, type Season } from '../common/dataset/names.js';
import type { Region } from '../common/geo/geojson-regions.js';
import { pointInPolygonsTest, type Position } from '../common/geo/point-in-polygon.js';
import { multiLabelReport, singleLabelReport } from './report.js';
import type { GroupReport, MultiLabelReport, SingleLabelReport } from '../common/metrics/report-types.js';
import { showValue } from '../common/util/show-value.js';
import { checkClass, checkIndicatorRow, checkScoreRow, fail } from './validate.js';

export interface PatchPlace {
  id: string;
  /** The scene as a place, sceneKey() of names.ts: "ROIs1158_spring/124". */
  scene: string;
  season: Season;
  /** [lon, lat] in degrees. */
  centroid: Position;
}

export interface SingleLabelRecord extends PatchPlace {
  yTrue: number;
  yPred: number;
}

export interface MultiLabelRecord extends PatchPlace {
  /** K indicators. */
  yTrue: readonly number[];
  /** K scores, thresholded like multiLabelReport's. */
  scores: readonly number[];
}

export type Grouping = { by: 'scene' } | { by: 'season' } | { by: 'region'; regions: readonly Region[] };

export interface Group<R> {
  name: string;
  records: R[];
}

function checkPlace(record: PatchPlace, field: string, needCentroid: boolean): void {
  if (typeof record.scene !== 'string' || record.scene === '') {
    fail(`${field}.scene`, `expected a scene key, got ${showValue(record.scene)}`);
  }
  if (!SEASONS.includes(record.season)) {
    fail(`${field}.season`, `expected one of ${SEASONS.join(', ')}, got ${showValue(record.season)}`);
  }
  const c = record.centroid;
  const valid = Array.isArray(c) && c.length === 2 && c.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (needCentroid && !valid) fail(`${field}.centroid`, `expected [lon, lat] finite numbers, got ${showValue(c)}`);
}

/** Scenes sort by ROI set then scene number, seasons in calendar order, regions as given. */
export function groupRecords<R extends PatchPlace>(records: readonly R[], grouping: Grouping): Group<R>[] {
  records.forEach((r, i) => checkPlace(r, `records[${i}]`, grouping.by === 'region'));
  if (grouping.by === 'region') {
    return grouping.regions.map((region) => {
      const inside = pointInPolygonsTest(region.polygons);
      return { name: region.name, records: records.filter((r) => inside(r.centroid)) };
    });
  }
  const keyOf = grouping.by === 'scene' ? (r: R) => r.scene : (r: R) => r.season;
  const groups = new Map<string, R[]>();
  for (const r of records) {
    const key = keyOf(r);
    const members = groups.get(key);
    if (members) members.push(r);
    else groups.set(key, [r]);
  }
  const order =
    grouping.by === 'scene'
      ? (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })
      : (a: string, b: string) => SEASONS.indexOf(a as Season) - SEASONS.indexOf(b as Season);
  return [...groups.keys()].sort(order).map((name) => ({ name, records: groups.get(name)! }));
}

function reportEach<R extends PatchPlace, T>(groups: Group<R>[], report: (members: R[]) => T): GroupReport<T>[] {
  return groups.map((g) => ({
    group: g.name,
    n: g.records.length,
    report: g.records.length === 0 ? null : report(g.records),
  }));
}

export function singleLabelReportsByGroup(
  records: readonly SingleLabelRecord[],
  grouping: Grouping,
  classNames: readonly string[],
): GroupReport<SingleLabelReport>[] {
  records.forEach((r, i) => {
    checkClass(`records[${i}].yTrue`, r.yTrue, classNames.length);
    checkClass(`records[${i}].yPred`, r.yPred, classNames.length);
  });
  return reportEach(groupRecords(records, grouping), (members) =>
    singleLabelReport(
      members.map((r) => r.yTrue),
      members.map((r) => r.yPred),
      classNames,
    ),
  );
}

export function multiLabelReportsByGroup(
  records: readonly MultiLabelRecord[],
  grouping: Grouping,
  threshold: number,
  classNames: readonly string[],
): GroupReport<MultiLabelReport>[] {
  records.forEach((r, i) => {
    checkIndicatorRow(`records[${i}].yTrue`, r.yTrue, classNames.length);
    checkScoreRow(`records[${i}].scores`, r.scores, classNames.length);
  });
  return reportEach(groupRecords(records, grouping), (members) =>
    multiLabelReport(
      members.map((r) => r.yTrue),
      members.map((r) => r.scores),
      threshold,
      classNames,
    ),
  );
}
