import { describe, expect, it } from 'vitest';
import { chartPaths, curvePath, emaSmooth, SERIES_COLOURS, seriesColour } from '../../../../renderer/src/lib/training/curve.js';
import { formatDuration, formatRate } from '../../../../renderer/src/lib/training/format.js';

const box = { width: 100, height: 50, pad: 5 };
const parse = (points: string) => points.split(' ').map((p) => p.split(',').map(Number));

describe('curvePath', () => {
  it('maps the first and last step to the box edges and the highest value to the top', () => {
    const { points, min, max } = curvePath([0, 10, 20], [2, 1, 0.5], box);
    const pts = parse(points);
    expect(pts[0]).toEqual([5, 5]);
    expect(pts[2]).toEqual([95, 45]);
    expect([min, max]).toEqual([0.5, 2]);
  });

  it('on a log scale puts each decade at equal distances', () => {
    const pts = parse(curvePath([0, 1, 2], [1e-1, 1e-2, 1e-3], box, true).points);
    expect(pts[1][1]).toBeCloseTo((pts[0][1] + pts[2][1]) / 2, 5);
  });

  it('skips values that cannot be drawn and draws a flat series mid-box', () => {
    const { points } = curvePath([0, 1, 2, 3], [1, NaN, 1, Infinity], box);
    expect(parse(points)).toEqual([
      [5, 25],
      [95, 25],
    ]);
    expect(curvePath([0, 1], [0, 0.1], box, true).points.split(' ')).toHaveLength(1);
    expect(curvePath([], [], box).points).toBe('');
  });
});

describe('training figures', () => {
  it('formats durations, rates and fractions', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(7620)).toBe('2 h 07 min');
    expect(formatDuration(NaN)).toBe('–');
    expect(formatRate(0.03)).toBe('0.03');
    expect(formatRate(0.0001)).toBe('1.00e-4');
  });
});

describe('chartPaths', () => {
  it('draws several runs on one scale, so a run with lower loss is drawn lower', () => {
    const { lines, min, max, xMin, xMax } = chartPaths([{ xs: [0, 10], ys: [4, 2] }, { xs: [0, 20], ys: [3, 1] }], box);
    expect([min, max, xMin, xMax]).toEqual([1, 4, 0, 20]);
    const [a, b] = lines.map(parse);
    // the first run ends at step 10, half the width of the shared step axis
    expect(a.at(-1)![0]).toBeCloseTo(box.pad + (box.width - 2 * box.pad) / 2, 0);
    // at step 0 the second run (3) is below the first (4): larger y in SVG
    expect(b[0][1]).toBeGreaterThan(a[0][1]);
  });

  it('keeps a series with nothing to draw as an empty line', () => {
    const { lines } = chartPaths([{ xs: [1, 2], ys: [1, 2] }, { xs: [], ys: [] }], box);
    expect(lines[1]).toBe('');
    expect(parse(lines[0])).toHaveLength(2);
  });
});

describe('emaSmooth', () => {
  it('is debiased: a constant series stays constant from its first point', () => {
    expect(emaSmooth([2, 2, 2, 2], 0.9).every((v) => Math.abs(v - 2) < 1e-12)).toBe(true);
  });

  it("follows TensorBoard's rule and damps a spike", () => {
    const s = emaSmooth([1, 0, 0], 0.5);
    // last = 0.5, 0.25, 0.125; debias by 1 - 0.5^n
    expect(s[0]).toBeCloseTo(1);
    expect(s[1]).toBeCloseTo(0.25 / 0.75);
    expect(s[2]).toBeCloseTo(0.125 / 0.875);
    const spike = emaSmooth([1, 1, 10, 1, 1], 0.8);
    expect(Math.max(...spike)).toBeLessThan(5);
  });

  it('returns the values unchanged at weight 0 and passes non-finite values through', () => {
    expect(emaSmooth([3, 1, 2], 0)).toEqual([3, 1, 2]);
    const s = emaSmooth([1, NaN, 1], 0.5);
    expect(Number.isNaN(s[1])).toBe(true);
    expect(s[2]).toBeCloseTo(1);
  });
});

describe('series colours', () => {
  it('are the Okabe-Ito colours, distinct, wrapping after the last', () => {
    expect(new Set(SERIES_COLOURS).size).toBe(SERIES_COLOURS.length);
    expect(seriesColour(0)).toBe('#0072B2');
    expect(seriesColour(SERIES_COLOURS.length)).toBe(seriesColour(0));
  });
});
