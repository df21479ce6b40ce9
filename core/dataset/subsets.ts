/**
 * Subsets of a patch list for pretraining and finetuning: seeded random samples (optionally
 * stratified), one patch per scene, and the greedy non-overlapping subset. Every result keeps
 * the input order so a subset reads like the list it came from.
 */
import { Rng } from '../util/rng.js';
import type { Footprint, Point } from './footprint.js';

function checkCount(n: number, available: number): void {
  if (!Number.isInteger(n) || n < 0 || n > available) {
    throw new RangeError(`subset size must be an integer in [0, ${available}], got ${n}`);
  }
}

/** k distinct indices of 0..m-1 by a partial Fisher-Yates shuffle. */
function sampleIndices(m: number, k: number, rng: Rng): number[] {
  const idx = Array.from({ length: m }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(m - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k);
}

function groupIndices<T>(items: T[], keyOf: (t: T) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((t, i) => {
    const key = keyOf(t);
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

function pick<T>(items: T[], indices: number[]): T[] {
  return indices.sort((a, b) => a - b).map((i) => items[i]);
}

/**
 * Per-stratum quotas by largest remainder (Hamilton), so they are proportional and add up to n
 * exactly; equal remainders go to the bigger stratum, then to the key that sorts first.
 */
function quotas(sizes: Map<string, number>, n: number, total: number): Map<string, number> {
  const out = new Map<string, number>();
  const rest: { key: string; rem: number; size: number }[] = [];
  let given = 0;
  for (const [key, size] of sizes) {
    const exact = (n * size) / total;
    const q = Math.floor(exact);
    out.set(key, q);
    given += q;
    rest.push({ key, rem: exact - q, size });
  }
  rest.sort((a, b) => b.rem - a.rem || b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i < n - given; i++) out.set(rest[i].key, out.get(rest[i].key)! + 1);
  return out;
}

/**
 * n items drawn without replacement under a seed. With `stratify`, each stratum (e.g. season)
 * gets its proportional share and draws from its own stream, so one stratum's draw does not
 * depend on the others.
 */
export function randomSubset<T>(items: T[], n: number, opts: { seed: number; stratify?: (t: T) => string }): T[] {
  checkCount(n, items.length);
  const rng = new Rng(opts.seed);
  if (!opts.stratify) return pick(items, sampleIndices(items.length, n, rng));
  const groups = groupIndices(items, opts.stratify);
  const quota = quotas(new Map([...groups].map(([k, g]) => [k, g.length])), n, items.length);
  const chosen: number[] = [];
  for (const [key, g] of groups) {
    for (const i of sampleIndices(g.length, quota.get(key)!, rng.fork(key))) chosen.push(g[i]);
  }
  return pick(items, chosen);
}

/** One random item per scene; each scene draws from its own stream of the seed. */
export function onePerScene<T>(items: T[], sceneOf: (t: T) => string, seed: number): T[] {
  const rng = new Rng(seed);
  return pick(
    items,
    [...groupIndices(items, sceneOf)].map(([scene, g]) => g[rng.fork(scene).int(g.length)]),
  );
}

export type FootprintShape = Pick<Footprint, 'epsg' | 'crsRing' | 'ring'>;

interface Poly {
  pts: Point[];
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function poly(ring: Point[], dx = 0): Poly {
  // Rings are closed; the repeated last corner adds nothing to the tests below.
  const pts = ring.slice(0, ring.length - 1).map(([x, y]): Point => [x + dx, y]);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { pts, minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

/**
 * Whether two convex polygons share positive area (separating axis theorem). Overlaps thinner
 * than a millionth of the smaller polygon's size count as touching: neighbouring SEN12MS patches
 * meet exactly on an edge, and their separately stored origins differ from a sum by rounding.
 */
function overlaps(a: Poly, b: Poly): boolean {
  const size = Math.min(Math.max(a.maxX - a.minX, a.maxY - a.minY), Math.max(b.maxX - b.minX, b.maxY - b.minY));
  const eps = size * 1e-6;
  // Disjoint bounding boxes settle most pairs without the full test.
  if (Math.min(a.maxX, b.maxX) - Math.max(a.minX, b.minX) <= eps) return false;
  if (Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY) <= eps) return false;
  return !separatedByEdgeOf(a, b, eps) && !separatedByEdgeOf(b, a, eps);
}

/** Whether a normal of one of p's edges separates the projections of p and q. */
function separatedByEdgeOf(p: Poly, q: Poly, eps: number): boolean {
  for (let i = 0; i < p.pts.length; i++) {
    const [x0, y0] = p.pts[i];
    const [x1, y1] = p.pts[(i + 1) % p.pts.length];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len === 0) continue;
    const nx = (y0 - y1) / len;
    const ny = (x1 - x0) / len;
    if (Math.min(projectMax(p, nx, ny), projectMax(q, nx, ny)) + Math.min(projectMax(p, -nx, -ny), projectMax(q, -nx, -ny)) <= eps) {
      return true;
    }
  }
  return false;
}

/** The largest projection of p's corners on (nx, ny); the smallest is -projectMax(p, -nx, -ny). */
function projectMax(p: Poly, nx: number, ny: number): number {
  let hi = -Infinity;
  for (const [x, y] of p.pts) hi = Math.max(hi, x * nx + y * ny);
  return hi;
}

/** A uniform grid hash of kept polygons; the cell is sized by the first polygon it gets. */
class Grid {
  private cell = 0;
  private cells = new Map<string, number[]>();

  private range(p: Poly): [number, number, number, number] {
    const c = this.cell;
    return [Math.floor(p.minX / c), Math.floor(p.minY / c), Math.floor(p.maxX / c), Math.floor(p.maxY / c)];
  }

  add(p: Poly, id: number): void {
    if (this.cell === 0) this.cell = Math.max(p.maxX - p.minX, p.maxY - p.minY) || 1;
    const [x0, y0, x1, y1] = this.range(p);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const key = `${x},${y}`;
        const list = this.cells.get(key);
        if (list) list.push(id);
        else this.cells.set(key, [id]);
      }
    }
  }

  near(p: Poly): Set<number> {
    const out = new Set<number>();
    if (this.cell === 0) return out;
    const [x0, y0, x1, y1] = this.range(p);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) for (const id of this.cells.get(`${x},${y}`) ?? []) out.add(id);
    }
    return out;
  }
}

/**
 * Greedy, first come first served in the given order: an item is kept when its footprint shares
 * no positive area with any footprint kept before it. Footprints of the same EPSG code compare
 * exactly in that CRS (a SEN12MS scene is one UTM zone, patches axis-aligned squares); others
 * (different zones, or user-defined CRSs with epsg null) compare as lon/lat quadrilaterals, where
 * rings near the antimeridian are also tried shifted by 360 degrees. Grid hashes keep it
 * near-linear for the 180,000 patches of SEN12MS.
 */
export function nonOverlapping<T>(items: T[], footprintOf: (t: T) => FootprintShape): T[] {
  const kept: { epsg: number | null; crs: Poly; lonLat: Poly }[] = [];
  const crsGrids = new Map<number, Grid>();
  const lonLatGrid = new Grid();

  const clashes = (fp: FootprintShape, crs: Poly, lonLat: Poly, grid: Grid | undefined): boolean => {
    if (grid) for (const id of grid.near(crs)) if (overlaps(crs, kept[id].crs)) return true;
    // Patches are far narrower than a degree, so only rings within one of +-180 can wrap.
    const shifts = [0, ...(lonLat.minX < -179 ? [360] : []), ...(lonLat.maxX > 179 ? [-360] : [])];
    for (const dx of shifts) {
      const q = dx === 0 ? lonLat : poly(fp.ring, dx);
      for (const id of lonLatGrid.near(q)) {
        const other = kept[id];
        if ((fp.epsg === null || other.epsg !== fp.epsg) && overlaps(q, other.lonLat)) return true;
      }
    }
    return false;
  };

  return items.filter((item) => {
    const fp = footprintOf(item);
    const crs = poly(fp.crsRing);
    const lonLat = poly(fp.ring);
    let grid = fp.epsg === null ? undefined : crsGrids.get(fp.epsg);
    if (fp.epsg !== null && !grid) crsGrids.set(fp.epsg, (grid = new Grid()));
    if (clashes(fp, crs, lonLat, grid)) return false;
    const id = kept.push({ epsg: fp.epsg, crs, lonLat }) - 1;
    grid?.add(crs, id);
    lonLatGrid.add(lonLat, id);
    return true;
  });
}
