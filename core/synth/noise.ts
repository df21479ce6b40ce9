/**
 * Noise for the synthetic scenes. Everything derives from seeds (never Math.random), and the
 * per-pixel draws come from precomputed tables indexed by a xorshift stream, because a scene has
 * millions of samples and Box-Muller or a gamma sampler per sample would dominate the run time.
 */
import { Rng } from '../util/rng.js';

/** 2^16 entries, indexed by the high 16 bits of a draw (xorshift's best bits). */
const TABLE_SIZE = 1 << 16;

/** Integer hash of a lattice point, uniform in [0, 1). */
export function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(seed, 0x9e3779b9);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * Fractal value noise in [0, 1]: `octaves` layers of smoothly interpolated lattice values,
 * the first with lattice spacing `cell` pixels, each next one half as coarse and half as strong.
 */
export function valueNoise(width: number, height: number, cell: number, seed: number, octaves = 3): Float32Array {
  const out = new Float32Array(width * height);
  let amp = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++, amp /= 2, cell /= 2) {
    total += amp;
    const gw = Math.ceil(width / cell) + 2;
    const gh = Math.ceil(height / cell) + 2;
    const lattice = new Float32Array(gw * gh);
    for (let j = 0; j < gh; j++) for (let i = 0; i < gw; i++) lattice[j * gw + i] = hash2(i, j, seed + o * 7919);
    // Interpolate along x once per lattice row; each pixel then only blends two such rows.
    const rowsX = new Float32Array(gh * width);
    for (let j = 0; j < gh; j++) {
      const lat = j * gw;
      const dst = j * width;
      for (let x = 0; x < width; x++) {
        const f = x / cell;
        const i = Math.floor(f);
        const t = f - i;
        const sx = t * t * (3 - 2 * t);
        rowsX[dst + x] = lattice[lat + i] + (lattice[lat + i + 1] - lattice[lat + i]) * sx;
      }
    }
    for (let y = 0; y < height; y++) {
      const f = y / cell;
      const iy = Math.floor(f);
      const t = f - iy;
      const sy = t * t * (3 - 2 * t);
      const r0 = iy * width;
      const r1 = r0 + width;
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const a = rowsX[r0 + x];
        out[row + x] += amp * (a + (rowsX[r1 + x] - a) * sy);
      }
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= total;
  return out;
}

/** The value below which `fraction` of the field lies (estimated from a strided sample). */
export function quantile(field: Float32Array, fraction: number): number {
  const step = Math.max(1, Math.floor(field.length / 4096));
  const sample: number[] = [];
  for (let i = 0; i < field.length; i += step) sample.push(field[i]);
  sample.sort((a, b) => a - b);
  return sample[Math.min(sample.length - 1, Math.max(0, Math.floor(fraction * sample.length)))];
}

function gammaDraw(rng: Rng, shape: number): number {
  // Marsaglia-Tsang, valid for shape >= 1.
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * Math.log(v)) return (d * v) / shape;
  }
}

let gaussTable: Float32Array | undefined;
const speckleTables = new Map<number, Float32Array>();

function gaussianTable(): Float32Array {
  if (!gaussTable) {
    const rng = new Rng(0x5eed);
    gaussTable = Float32Array.from({ length: TABLE_SIZE }, () => rng.normal());
  }
  return gaussTable;
}

/** Speckle of a `looks`-look SAR intensity (gamma, mean 1), already in dB. */
function speckleDbTable(looks: number): Float32Array {
  let table = speckleTables.get(looks);
  if (!table) {
    const rng = new Rng(0x5a1 + looks * 1000);
    table = Float32Array.from({ length: TABLE_SIZE }, () => 10 * Math.log10(gammaDraw(rng, looks)));
    speckleTables.set(looks, table);
  }
  return table;
}

/** A fast stream of per-pixel draws. */
export class PixelNoise {
  private s: number;
  private readonly gauss = gaussianTable();
  private readonly speckle: Float32Array;

  constructor(seed: number, looks: number) {
    this.s = (seed >>> 0) || 0x9e3779b9;
    this.speckle = speckleDbTable(looks);
  }

  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }

  /** Fills `out` with normal draws of standard deviation `sigma`. */
  fillNormal(out: Float32Array, sigma: number): void {
    this.fill(out, this.gauss, sigma);
  }

  /** Fills `out` with 10*log10 of gamma-distributed speckle factors with mean 1. */
  fillSpeckleDb(out: Float32Array): void {
    this.fill(out, this.speckle, 1);
  }

  private fill(out: Float32Array, table: Float32Array, scale: number): void {
    // The xorshift step is inlined: this runs for every sample of every band.
    let x = this.s;
    for (let i = 0; i < out.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = table[(x >>> 16) & 0xffff] * scale;
    }
    this.s = x >>> 0;
  }
}
