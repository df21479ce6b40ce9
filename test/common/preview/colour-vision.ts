/**
 * Test helpers: colour-vision-deficiency simulation and CIELAB distances, to check that palettes
 * stay distinguishable. Machado, Oliveira & Fernandes (2009), "A physiologically-based model for
 * simulation of color vision deficiency", severity 1.0 matrices, applied to linear RGB.
 */

type Rgb = readonly [number, number, number];
type Matrix = readonly [Rgb, Rgb, Rgb];

export const CVD_MATRICES = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
} as const satisfies Record<string, Matrix>;

export type Vision = keyof typeof CVD_MATRICES | 'normal';

function toLinear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

function multiply(m: Matrix, v: Rgb): [number, number, number] {
  return [0, 1, 2].map((r) => m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2]) as [number, number, number];
}

/** sRGB (0..255) as seen with the deficiency, in CIELAB (D65). */
export function labAsSeen(rgb: Rgb, vision: Vision): [number, number, number] {
  let lin: Rgb = [toLinear(rgb[0]), toLinear(rgb[1]), toLinear(rgb[2])];
  if (vision !== 'normal') lin = multiply(CVD_MATRICES[vision], lin).map((c) => Math.min(Math.max(c, 0), 1)) as unknown as Rgb;
  const xyz = multiply(
    [
      [0.4124, 0.3576, 0.1805],
      [0.2126, 0.7152, 0.0722],
      [0.0193, 0.1192, 0.9505],
    ],
    lin,
  );
  const white = [0.95047, 1, 1.08883];
  const f = xyz.map((v, k) => {
    const t = v / white[k];
    return t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29;
  });
  return [116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])];
}

/** CIE76 colour difference. */
export function deltaE76(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** The closest pair of colours (by index) as seen with the deficiency, optionally only pairs the filter keeps. */
export function closestPair(
  colours: readonly Rgb[],
  vision: Vision,
  keep: (i: number, j: number) => boolean = () => true,
): { distance: number; i: number; j: number } {
  const labs = colours.map((c) => labAsSeen(c, vision));
  let best = { distance: Number.POSITIVE_INFINITY, i: -1, j: -1 };
  for (let i = 0; i < labs.length; i++) {
    for (let j = i + 1; j < labs.length; j++) {
      const distance = deltaE76(labs[i], labs[j]);
      if (keep(i, j) && distance < best.distance) best = { distance, i, j };
    }
  }
  return best;
}
