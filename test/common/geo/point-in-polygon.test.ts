import { describe, expect, it } from 'vitest';
import { pointInPolygon, pointInPolygonsTest, type Polygon } from '../../../core/common/geo/point-in-polygon.js';

const square = (x0: number, y0: number, x1: number, y1: number) =>
  [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ] as [number, number][];

const withHole: Polygon = [square(0, 0, 10, 10), square(4, 4, 6, 6)];

describe('pointInPolygon', () => {
  it('is inside the outer ring and outside the hole', () => {
    expect(pointInPolygon([2, 2], withHole)).toBe(true);
    expect(pointInPolygon([5, 5], withHole)).toBe(false);
    expect(pointInPolygon([11, 5], withHole)).toBe(false);
    expect(pointInPolygon([5, -0.001], withHole)).toBe(false);
  });

  it('counts edges and vertices as inside, the hole edge too', () => {
    expect(pointInPolygon([0, 5], withHole)).toBe(true);
    expect(pointInPolygon([10, 10], withHole)).toBe(true);
    expect(pointInPolygon([4, 5], withHole)).toBe(true);
    expect(pointInPolygon([5, 6], withHole)).toBe(true);
  });

  it('counts a ray through a vertex once', () => {
    const diamond: Polygon = [
      [
        [5, 0],
        [10, 5],
        [5, 10],
        [0, 5],
        [5, 0],
      ],
    ];
    expect(pointInPolygon([2, 5], diamond)).toBe(true); // ray meets the vertex (10, 5)
    expect(pointInPolygon([-1, 5], diamond)).toBe(false); // ray meets both side vertices
    expect(pointInPolygon([8, 8], diamond)).toBe(false);
  });

  it('handles a concave ring', () => {
    const u: Polygon = [
      [
        [0, 0],
        [6, 0],
        [6, 6],
        [4, 6],
        [4, 2],
        [2, 2],
        [2, 6],
        [0, 6],
        [0, 0],
      ],
    ];
    expect(pointInPolygon([3, 4], u)).toBe(false);
    expect(pointInPolygon([1, 4], u)).toBe(true);
    expect(pointInPolygon([5, 4], u)).toBe(true);
    expect(pointInPolygon([3, 1], u)).toBe(true);
  });

  it('works in the southern and western hemispheres', () => {
    expect(pointInPolygon([-70.22, -37.11], [square(-71, -38, -69, -36)])).toBe(true);
    expect(pointInPolygon([70.22, 37.11], [square(-71, -38, -69, -36)])).toBe(false);
  });
});

describe('pointInPolygonsTest (a MultiPolygon)', () => {
  const inside = pointInPolygonsTest([[square(0, 0, 1, 1)], [square(5, 5, 9, 9), square(6, 6, 8, 8)]]);

  it('is inside when inside any part, and respects holes in each part', () => {
    expect(inside([0.5, 0.5])).toBe(true);
    expect(inside([5.5, 5.5])).toBe(true);
    expect(inside([3, 3])).toBe(false);
    expect(inside([7, 7])).toBe(false);
  });
});
