/** Web Mercator's latitude limit: Antarctica's ring runs to -90, which would project to infinity. */
export const MAX_LAT = 85.05;

/**
 * A lon/lat ring made drawable in Web Mercator: latitudes clamped to MAX_LAT, and longitudes
 * made continuous where the ring crosses the antimeridian (Natural Earth jumps from 180 to -180,
 * which would draw a stripe around the world; 190 draws the same place past the edge instead).
 */
export function drawableRing(ring: readonly number[][]): number[][] {
  let previous: number | null = null;
  return ring.map(([lon, lat]) => {
    let x = lon;
    if (previous !== null) {
      while (x - previous > 180) x -= 360;
      while (x - previous < -180) x += 360;
    }
    previous = x;
    return [x, Math.max(-MAX_LAT, Math.min(MAX_LAT, lat))];
  });
}
