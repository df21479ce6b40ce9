/**
 * The WHERE clause of a validated catalog query over `patches AS p`. The SQL text depends only on
 * which filters are present (so a handful of statements serve every query); every value is a
 * bound parameter, lists bound as one JSON array read through json_each.
 */
import type { Bbox, CatalogQuery } from '../common/catalog/query-spec.js';

export interface WhereClause {
  /** '' or 'WHERE ...'. */
  sql: string;
  params: (string | number)[];
}

/**
 * The longitude intervals to look up for a box. A stored footprint keeps its ring within 180
 * degrees of a centroid in [-180, 180] (see dataset/footprint.ts), so a patch straddling the
 * antimeridian is stored with longitudes past +-180 and all stored longitudes lie in [-360, 360].
 * The box, made one interval (a crossing box runs past 180), is therefore tried as is and one
 * turn either way; turns that cannot reach [-360, 360] are dropped.
 */
function lonIntervals(bbox: Bbox): [number, number][] {
  const [minLon, , maxLon] = bbox;
  const lo = minLon;
  const hi = minLon > maxLon ? maxLon + 360 : maxLon;
  return [-360, 0, 360].map((turn): [number, number] => [lo + turn, hi + turn]).filter(([a, b]) => a <= 360 && b >= -360);
}

function bboxCondition(bbox: Bbox, params: (string | number)[]): string | null {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  // A box around the whole globe in longitude (the map zoomed out) needs no R-tree lookup.
  if (minLon <= -180 && maxLon >= 180) {
    if (minLat <= -90 && maxLat >= 90) return null;
    params.push(maxLat, minLat);
    return 'p.min_lat <= ? AND p.max_lat >= ?';
  }
  const intervals = lonIntervals(bbox);
  // The R-tree finds candidates (its float32 boxes are rounded outwards, so never too few); the
  // same test on the table's exact columns then decides.
  const arms = intervals.map(([lo, hi]) => {
    params.push(hi, lo, maxLat, minLat);
    return 'SELECT rid FROM patches_bbox WHERE min_lon <= ? AND max_lon >= ? AND min_lat <= ? AND max_lat >= ?';
  });
  const exact = intervals.map(([lo, hi]) => {
    params.push(hi, lo);
    return '(p.min_lon <= ? AND p.max_lon >= ?)';
  });
  params.push(maxLat, minLat);
  return `p.rowid IN (${arms.join(' UNION ALL ')}) AND (${exact.join(' OR ')}) AND p.min_lat <= ? AND p.max_lat >= ?`;
}

export function whereOf(q: CatalogQuery): WhereClause {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  const inList = (column: string, values: readonly (string | number)[] | undefined) => {
    if (!values) return;
    conditions.push(`${column} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(values));
  };
  const box = q.bbox ? bboxCondition(q.bbox, params) : null;
  if (box) conditions.push(box);
  inList('p.season', q.season);
  inList('p.split', q.split);
  inList('p.roi', q.roi);
  inList('p.label', q.label);
  inList('p.id', q.ids);
  if (q.excludeIds && q.excludeIds.length > 0) {
    conditions.push('p.id NOT IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.excludeIds));
  }
  // Counts, not EXISTS: SQLite 3.53 turns an EXISTS over json_each into a join that, under
  // ORDER BY + LIMIT/OFFSET, returns a row once per matching element (duplicates across pages).
  if (q.anyLabels) {
    conditions.push('(SELECT count(*) FROM json_each(p.labels) AS has WHERE has.value IN (SELECT value FROM json_each(?))) > 0');
    params.push(JSON.stringify(q.anyLabels));
  }
  if (q.sensors) {
    conditions.push(
      '(SELECT count(*) FROM json_each(?) AS want WHERE want.value NOT IN (SELECT value FROM json_each(p.sensors))) = 0',
    );
    params.push(JSON.stringify(q.sensors));
  }
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
