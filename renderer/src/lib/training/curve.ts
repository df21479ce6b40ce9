/**
 * An SVG polyline for a training curve (loss or learning rate against step), in a box of the
 * given size; no chart library, a line and its value range are all the panel shows.
 */
export interface CurveBox {
  width: number;
  height: number;
  /** Inner margin in pixels, so the stroke is not clipped at the edges. */
  pad: number;
}

export interface CurvePath {
  /** The `points` attribute of an SVG polyline; empty when nothing can be drawn. */
  points: string;
  min: number;
  max: number;
}

/**
 * Log scale suits the learning rate (cosine and step schedules span decades); values that cannot
 * be drawn there (<= 0) or at all (NaN, infinite) are skipped rather than bending the line.
 */
export function curvePath(xs: readonly number[], ys: readonly number[], box: CurveBox, log = false): CurvePath {
  const pts: [number, number][] = [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const y = log ? Math.log10(ys[i]) : ys[i];
    if (Number.isFinite(xs[i]) && Number.isFinite(y)) pts.push([xs[i], y]);
  }
  if (pts.length === 0) return { points: '', min: NaN, max: NaN };
  const [x0, x1] = extent(pts.map((p) => p[0]));
  const [y0, y1] = extent(pts.map((p) => p[1]));
  const w = box.width - 2 * box.pad;
  const h = box.height - 2 * box.pad;
  // A flat series or a single step is drawn mid-box instead of dividing by zero.
  const sx = (x: number) => box.pad + (x1 > x0 ? ((x - x0) / (x1 - x0)) * w : w / 2);
  const sy = (y: number) => box.pad + (y1 > y0 ? (1 - (y - y0) / (y1 - y0)) * h : h / 2);
  const back = (v: number) => (log ? 10 ** v : v);
  return {
    points: pts.map(([x, y]) => `${round(sx(x))},${round(sy(y))}`).join(' '),
    min: back(y0),
    max: back(y1),
  };
}

function extent(values: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

const round = (v: number) => Math.round(v * 10) / 10;
