import Feature from 'ol/Feature.js';
import Point from 'ol/geom/Point.js';
import VectorSource from 'ol/source/Vector.js';
import { describe, expect, it } from 'vitest';
import { nearestPointId } from '../../../renderer/src/lib/map/patch-layers.js';

function source(points: [string, number, number][]): VectorSource {
  return new VectorSource({
    features: points.map(([id, x, y]) => {
      const f = new Feature(new Point([x, y]));
      f.setId(id);
      return f;
    }),
  });
}

describe('nearestPointId (click selection without WebGL hit detection)', () => {
  const s = source([
    ['a', 0, 0],
    ['b', 1000, 0],
    ['c', 0, 5000],
  ]);

  it('picks the nearest point when it is within the tolerance in pixels', () => {
    // 10 m a pixel: 'b' is 40 m = 4 px from the click.
    expect(nearestPointId(s, [960, 0], 10, 9)).toBe('b');
    expect(nearestPointId(s, [30, 40], 10, 9)).toBe('a');
  });

  it('picks nothing when the nearest point is further than the tolerance', () => {
    expect(nearestPointId(s, [500, 2500], 10, 9)).toBeNull();
    // The same click counts at a coarser resolution (more metres a pixel).
    expect(nearestPointId(s, [0, 600], 100, 9)).toBe('a');
  });

  it('picks nothing from an empty source', () => {
    expect(nearestPointId(source([]), [0, 0], 10, 9)).toBeNull();
  });
});
