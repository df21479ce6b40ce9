import { describe, expect, it } from 'vitest';
import { curvePath } from '../../../../renderer/src/lib/training/curve.js';
import { formatDuration, formatRate, progressFraction } from '../../../../renderer/src/lib/training/format.js';

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
    expect(progressFraction(5, 20)).toBe(0.25);
    expect(progressFraction(5, 0)).toBe(0);
    expect(progressFraction(30, 20)).toBe(1);
  });
});
