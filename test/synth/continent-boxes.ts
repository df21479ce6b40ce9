/**
 * Coarse, non-overlapping lon/lat boxes inside each inhabited continent, drawn from a world map
 * independently of core/synth/places.ts, so tests can check where the generated patches really
 * lie. They leave out border zones (the Mediterranean, Arabia, Central America, New Guinea), so
 * a patch in none of them is not an error; a patch in one is on that continent.
 */
export type Box = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export const CONTINENT_BOXES: Readonly<Record<string, Box>> = {
  'North America': [-130, 25, -60, 60],
  'South America': [-80, -46, -35, 5],
  Europe: [-10, 36, 30, 65],
  Africa: [-17, -35, 42, 32],
  Asia: [60, 5, 145, 70],
  Oceania: [113, -47, 180, -10],
};

/** The continent whose box holds the point, if any. */
export function continentOf(lon: number, lat: number): string | undefined {
  return Object.entries(CONTINENT_BOXES).find(([, [w, s, e, n]]) => lon >= w && lon <= e && lat >= s && lat <= n)?.[0];
}
