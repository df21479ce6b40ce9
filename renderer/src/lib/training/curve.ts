/**
 * SVG polylines for training curves (loss, learning rate, validation metrics against step) in a
 * box of the given size: no chart library. Several runs share one box (one scale for all, so they
 * compare), and a curve can be smoothed the way TensorBoard smooths (debiased EMA).
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

export interface Series {
  xs: readonly number[];
  ys: readonly number[];
}

/** A run's series in a chart. */
export interface CurveSeries extends Series {
  /** The run (job id) the series belongs to. */
  id: string;
  colour: string;
}

export interface ChartPaths {
  /** One `points` attribute per series, in order ('' for a series with nothing to draw). */
  lines: string[];
  /** The drawn coordinates of each series, for markers. */
  coords: [number, number][][];
  /** Value range over every series (back on the linear scale); NaN when nothing is drawn. */
  min: number;
  max: number;
  /** Step range over every series. */
  xMin: number;
  xMax: number;
}

/**
 * Colour-blind-safe series colours (Okabe-Ito, without the yellow that vanishes on white):
 * run i of an overlay takes colour i, wrapping after seven.
 */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000'] as const;

export function seriesColour(i: number): string {
  return SERIES_COLOURS[((i % SERIES_COLOURS.length) + SERIES_COLOURS.length) % SERIES_COLOURS.length];
}

/**
 * Log scale suits the learning rate (cosine and step schedules span decades); values that cannot
 * be drawn there (<= 0) or at all (NaN, infinite) are skipped rather than bending the line.
 */
export function chartPaths(series: readonly Series[], box: CurveBox, log = false): ChartPaths {
  const drawable = series.map(({ xs, ys }) => {
    const pts: [number, number][] = [];
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      const y = log ? Math.log10(ys[i]) : ys[i];
      if (Number.isFinite(xs[i]) && Number.isFinite(y)) pts.push([xs[i], y]);
    }
    return pts;
  });
  const all = drawable.flat();
  if (all.length === 0) return { lines: series.map(() => ''), coords: series.map(() => []), min: NaN, max: NaN, xMin: NaN, xMax: NaN };
  const [x0, x1] = extent(all.map((p) => p[0]));
  const [y0, y1] = extent(all.map((p) => p[1]));
  const w = box.width - 2 * box.pad;
  const h = box.height - 2 * box.pad;
  // A flat series or a single step is drawn mid-box instead of dividing by zero.
  const sx = (x: number) => round(box.pad + (x1 > x0 ? ((x - x0) / (x1 - x0)) * w : w / 2));
  const sy = (y: number) => round(box.pad + (y1 > y0 ? (1 - (y - y0) / (y1 - y0)) * h : h / 2));
  const back = (v: number) => (log ? 10 ** v : v);
  const coords = drawable.map((pts) => pts.map(([x, y]): [number, number] => [sx(x), sy(y)]));
  return { lines: coords.map((c) => c.map(([x, y]) => `${x},${y}`).join(' ')), coords, min: back(y0), max: back(y1), xMin: x0, xMax: x1 };
}

/** One series alone in its box. */
export function curvePath(xs: readonly number[], ys: readonly number[], box: CurveBox, log = false): CurvePath {
  const { lines, min, max } = chartPaths([{ xs, ys }], box, log);
  return { points: lines[0], min, max };
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `weight` in [0, 1),
 * debiased so the first points are not pulled towards 0. Non-finite values are passed through
 * and leave the average as it was; weight 0 returns the values as they are.
 */
export function emaSmooth(ys: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return [...ys];
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!Number.isFinite(y)) return y;
    last = last * w + (1 - w) * y;
    n++;
    return last / (1 - w ** n);
  });
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
