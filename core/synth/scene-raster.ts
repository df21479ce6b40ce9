/**
 * Renders one synthetic scene as a single raster covering all its patches, so overlapping
 * patches cut from it agree pixel for pixel. One land-cover map drives both sensors:
 *   land cover = warped Voronoi regions (classes grouped by a smooth field) + water + snow,
 *   S2 = per-class spectra, mixed per region, x smooth brightness and vigour, + noise,
 *   S1 = per-class backscatter (dB) + per-region offset + texture + gamma speckle, a few NaNs.
 */
import { Rng } from '../util/rng.js';
import { lccsCodes, localSeason, scenePalette, SNOW, URBAN, WATER } from './land-cover.js';
import { hash2, PixelNoise, quantile, valueNoise } from './noise.js';
import { PATCH_SIZE } from '../dataset/patch-reader.js';
import { STRIDE, type ScenePlan } from './scene-plan.js';
import { classLooks, toTopOfAtmosphere } from './spectra.js';

export interface SceneRaster {
  width: number;
  height: number;
  /** Grid position (row, col) of the raster's upper-left pixel. */
  row0: number;
  col0: number;
  lc: Uint8Array[];
  s2: Uint16Array[];
  s1: Float32Array[];
}

/** Sentinel-1 IW GRD: about 4.4 equivalent looks. */
const S1_LOOKS = 4.4;
/** Per-band S2 noise, in reflectance. */
const S2_NOISE = 0.004;
const S1_NAN_RATE = 2e-5;

interface LandCover {
  igbp: Uint8Array;
  /** Per-region position between a class's two end members, in [0, 1]. */
  mixture: Float32Array;
}

function landCover(plan: ScenePlan, width: number, height: number, rng: Rng): LandCover {
  const palette = scenePalette(plan.place, plan.season, rng.fork('palette'));
  const seed = rng.nextU32();
  const cell = rng.uniform(40, 110);
  const warpX = valueNoise(width, height, cell * 1.5, seed + 1, 2);
  const warpY = valueNoise(width, height, cell * 1.5, seed + 2, 2);
  const grouping = valueNoise(width, height, rng.uniform(250, 600), seed + 3, 2);
  let acc = 0;
  const cum = palette.shares.map((share) => (acc += share));
  const warp = cell * 0.7;
  const n = width * height;
  const igbp = new Uint8Array(n);
  const mixture = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const px = (x + (warpX[i] - 0.5) * warp) / cell;
      const py = (y + (warpY[i] - 0.5) * warp) / cell;
      const cx = Math.floor(px);
      const cy = Math.floor(py);
      let best = Infinity;
      let bx = 0;
      let by = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const gx = cx + dx;
          const gy = cy + dy;
          const sx = gx + hash2(gx, gy, seed) - px;
          const sy = gy + hash2(gx, gy, seed + 11) - py;
          const d = sx * sx + sy * sy;
          if (d < best) {
            best = d;
            bx = gx;
            by = gy;
          }
        }
      }
      // A region's class comes from the smooth grouping field at its seed plus some chance, so
      // neighbouring regions tend to share a class and whole patches can be dominated by one.
      const sxp = Math.min(width - 1, Math.max(0, Math.round((bx + 0.5) * cell)));
      const syp = Math.min(height - 1, Math.max(0, Math.round((by + 0.5) * cell)));
      const u = Math.min(0.999, Math.max(0, 2.2 * (grouping[syp * width + sxp] - 0.5) + 0.5 + 0.35 * (hash2(bx, by, seed + 23) - 0.5)));
      let k = 0;
      while (k < cum.length - 1 && u >= cum[k]) k++;
      igbp[i] = palette.classes[k];
      mixture[i] = hash2(bx, by, seed + 37);
    }
  }
  overlay(igbp, palette.water, WATER, valueNoise(width, height, rng.uniform(200, 500), seed + 5, 3), 'low');
  if (palette.water > 0 && rng.next() < 0.5) rivers(igbp, valueNoise(width, height, rng.uniform(300, 700), seed + 6, 2));
  overlay(igbp, palette.snow, SNOW, valueNoise(width, height, rng.uniform(150, 400), seed + 7, 3), 'high', WATER);
  return { igbp, mixture };
}

/** Puts `cls` where the field is lowest (lakes) or highest (snow on high ground), over `fraction` of the scene. */
function overlay(igbp: Uint8Array, fraction: number, cls: number, field: Float32Array, where: 'low' | 'high', keep?: number): void {
  if (fraction <= 0) return;
  const t = quantile(field, where === 'low' ? fraction : 1 - fraction);
  for (let i = 0; i < igbp.length; i++) {
    if ((where === 'low' ? field[i] < t : field[i] > t) && igbp[i] !== keep) igbp[i] = cls;
  }
}

/** Thin meandering water lines along a contour of a smooth field. */
function rivers(igbp: Uint8Array, field: Float32Array): void {
  for (let i = 0; i < igbp.length; i++) if (Math.abs(field[i] - 0.5) < 0.006) igbp[i] = WATER;
}

function lcBands(plan: ScenePlan, igbp: Uint8Array): Uint8Array[] {
  const bands = [igbp, new Uint8Array(igbp.length), new Uint8Array(igbp.length), new Uint8Array(igbp.length)];
  const table = Array.from({ length: 18 }, (_, c) => (c === 0 ? [0, 0, 0] : lccsCodes(c, plan.place.biome)));
  for (let i = 0; i < igbp.length; i++) {
    const codes = table[igbp[i]];
    bands[1][i] = codes[0];
    bands[2][i] = codes[1];
    bands[3][i] = codes[2];
  }
  return bands;
}

function s2Bands(plan: ScenePlan, lc: LandCover, width: number, height: number, seed: number, noise: PixelNoise): Uint16Array[] {
  const looks = classLooks(localSeason(plan.season, plan.place.lat));
  const brightness = valueNoise(width, height, 300, seed + 1, 3);
  const vigour = valueNoise(width, height, 120, seed + 2, 3);
  const n = width * height;
  const bands = Array.from({ length: 13 }, () => new Uint16Array(n));
  // Per class and band: a + (b - a) * spread, precomputed so the pixel loop only mixes.
  const a = new Float32Array(18 * 13);
  const d = new Float32Array(18 * 13);
  const veg = new Uint8Array(18);
  for (let c = 1; c <= 17; c++) {
    const l = looks[c];
    veg[c] = l.vegetated ? 1 : 0;
    for (let b = 0; b < 13; b++) {
      a[c * 13 + b] = l.a[b];
      d[c * 13 + b] = (l.b[b] - l.a[b]) * l.spread;
    }
  }
  // Per pixel: the illumination factor, and the vigour factor that moves the red edge and NIR
  // (B6..B8A) of vegetation only.
  const bright = new Float32Array(n);
  const vig = new Float32Array(n);
  const jitter = new Float32Array(n);
  // Built-up areas are a fine mix of roofs, roads and gardens.
  const fine = valueNoise(width, height, 5, seed + 4, 1);
  for (let i = 0; i < n; i++) {
    bright[i] = (0.9 + 0.2 * brightness[i]) * (lc.igbp[i] === URBAN ? 0.7 + 0.6 * fine[i] : 1);
    vig[i] = veg[lc.igbp[i]] ? bright[i] * (0.8 + 0.4 * vigour[i]) : bright[i];
  }
  for (let b = 0; b < 13; b++) {
    const out = bands[b];
    const gain = b >= 5 && b <= 8 ? vig : bright;
    // toTopOfAtmosphere is affine: dn = r * scale + offset.
    const offset = toTopOfAtmosphere(b, 0);
    const scale = toTopOfAtmosphere(b, 1) - offset;
    noise.fillNormal(jitter, S2_NOISE * scale);
    for (let i = 0; i < n; i++) {
      const k = lc.igbp[i] * 13 + b;
      const dn = (a[k] + d[k] * lc.mixture[i]) * gain[i] * scale + offset + jitter[i];
      out[i] = dn < 1 ? 1 : dn > 65535 ? 65535 : dn;
    }
  }
  return bands;
}

function s1Bands(plan: ScenePlan, lc: LandCover, width: number, height: number, seed: number, noise: PixelNoise): Float32Array[] {
  const looks = classLooks(localSeason(plan.season, plan.place.lat));
  const texture = valueNoise(width, height, 40, seed + 3, 3);
  // Strong scatterers (corners of buildings) next to dark roads.
  const fine = valueNoise(width, height, 5, seed + 4, 1);
  const n = width * height;
  const vv = new Float32Array(n);
  const vh = new Float32Array(n);
  // Backscatter falls off with incidence angle across the swath (range = x here).
  const slope = -1.5 / width;
  const speckleVv = new Float32Array(n);
  const speckleVh = new Float32Array(n);
  noise.fillSpeckleDb(speckleVv);
  noise.fillSpeckleDb(speckleVh);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const l = looks[lc.igbp[i]];
      const urban = lc.igbp[i] === URBAN ? (fine[i] - 0.5) * 8 : 0;
      const common = (lc.mixture[i] - 0.5) * 2 * l.s1Spread + (texture[i] - 0.5) * 2 + slope * x + urban;
      vv[i] = l.vv + common + speckleVv[i];
      vh[i] = l.vh + common + speckleVh[i];
    }
  }
  // Isolated no-data pixels, as in the real S1 patches (both polarisations).
  const nans = Math.round(n * S1_NAN_RATE) + 1;
  for (let k = 0; k < nans; k++) {
    const i = noise.u32() % n;
    vv[i] = NaN;
    vh[i] = NaN;
  }
  return [vv, vh];
}

export function renderScene(plan: ScenePlan): SceneRaster {
  const rows = plan.cells.map((c) => c.row);
  const cols = plan.cells.map((c) => c.col);
  const row0 = Math.min(...rows);
  const col0 = Math.min(...cols);
  const width = (Math.max(...cols) - col0) * STRIDE + PATCH_SIZE;
  const height = (Math.max(...rows) - row0) * STRIDE + PATCH_SIZE;
  const rng = new Rng(plan.seed);
  const lc = landCover(plan, width, height, rng.fork('land cover'));
  const seed = rng.nextU32();
  const noise = new PixelNoise(seed, S1_LOOKS);
  return {
    width,
    height,
    row0,
    col0,
    lc: lcBands(plan, lc.igbp),
    s2: s2Bands(plan, lc, width, height, seed, noise),
    s1: s1Bands(plan, lc, width, height, seed, noise),
  };
}

/** The bands of one 256 x 256 patch at grid position (row, col). */
export function cutPatch<T extends Uint8Array | Uint16Array | Float32Array>(raster: SceneRaster, bands: T[], row: number, col: number): T[] {
  const x0 = (col - raster.col0) * STRIDE;
  const y0 = (row - raster.row0) * STRIDE;
  return bands.map((band) => {
    const out = new (band.constructor as new (n: number) => T)(PATCH_SIZE * PATCH_SIZE);
    for (let y = 0; y < PATCH_SIZE; y++) {
      const from = (y0 + y) * raster.width + x0;
      out.set(band.subarray(from, from + PATCH_SIZE) as ArrayLike<number>, y * PATCH_SIZE);
    }
    return out;
  });
}
