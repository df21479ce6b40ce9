import { describe, expect, it } from 'vitest';
import { drawableRing, MAX_LAT } from '../../../renderer/src/lib/map/basemap-rings.js';

describe('drawableRing', () => {
  it('keeps a ring that does not cross the antimeridian as it is', () => {
    const ring = [[10, 40], [12, 40], [12, 42], [10, 40]];
    expect(drawableRing(ring)).toEqual(ring);
  });

  it('makes longitudes continuous across the antimeridian, so no edge spans the globe', () => {
    const fiji = [[178, -17], [180, -16], [-179.5, -16.5], [-179, -17.5], [179, -18], [178, -17]];
    const out = drawableRing(fiji);
    for (let i = 1; i < out.length; i++) expect(Math.abs(out[i][0] - out[i - 1][0])).toBeLessThanOrEqual(180);
    expect(out[2][0]).toBeCloseTo(180.5);
    expect(out.map((p) => p[1])).toEqual(fiji.map((p) => p[1]));
  });

  it('clamps latitudes to what Web Mercator can show', () => {
    const antarctica = [[-180, -90], [0, -90], [180, -90], [180, -60], [-180, -60], [-180, -90]];
    for (const [, lat] of drawableRing(antarctica)) expect(Math.abs(lat)).toBeLessThanOrEqual(MAX_LAT);
  });
});
