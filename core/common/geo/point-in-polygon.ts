/**
 * Point in polygon on plain [lon, lat] coordinates (no antimeridian handling: a polygon crossing
 * 180 degrees must be split into two by the user). A point on a ring's edge counts as inside, on
 * a hole's edge as well (the hole's interior is removed, not its boundary), so a centroid on the
 * border of two adjacent regions belongs to both.
 */

export type Position = readonly [number, number];
export type Ring = readonly Position[];
/** GeoJSON Polygon coordinates: the outer ring, then holes. */
export type Polygon = readonly Ring[];

function onSegment(p: Position, a: Position, b: Position): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (cross !== 0) return false;
  return (
    p[0] >= Math.min(a[0], b[0]) &&
    p[0] <= Math.max(a[0], b[0]) &&
    p[1] >= Math.min(a[1], b[1]) &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/**
 * Even-odd rule over all rings: a ray to +lon crosses the boundary an odd number of times from
 * inside. Edges are half-open in latitude so a ray through a vertex is counted once.
 */
export function pointInPolygon(p: Position, polygon: Polygon): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j];
      const b = ring[i];
      if (onSegment(p, a, b)) return true;
      if (a[1] > p[1] !== b[1] > p[1]) {
        const lonAtLat = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
        if (p[0] < lonAtLat) inside = !inside;
      }
    }
  }
  return inside;
}

/**
 * A test for "inside any of these polygons" (a MultiPolygon, or a region made of several
 * features), with each polygon's bounding box computed once so most points skip the rings.
 */
export function pointInPolygonsTest(polygons: readonly Polygon[]): (p: Position) => boolean {
  const boxed = polygons.map((polygon) => {
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [lon, lat] of polygon[0]) {
      box[0] = Math.min(box[0], lon);
      box[1] = Math.min(box[1], lat);
      box[2] = Math.max(box[2], lon);
      box[3] = Math.max(box[3], lat);
    }
    return { polygon, box };
  });
  return (p) =>
    boxed.some(
      ({ polygon, box }) =>
        p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3] && pointInPolygon(p, polygon),
    );
}
