import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { IGBP_CLASSES, SIMPLIFIED_CLASSES, simplifiedFractions, singleLabel } from '../../../core/common/dataset/labels.js';
import {
  cssHex,
  hexColours,
  IGBP_MODIS_PALETTE,
  IGBP_SAFE_PALETTE,
  RAMPS,
  rampColour,
  SIMPLIFIED_PALETTE,
  type RampName,
} from '../../../core/common/preview/palettes.js';
import { closestPair, labAsSeen } from './colour-vision.js';

const matplotlibAvailable = spawnSync('/usr/bin/python3', ['-c', 'import matplotlib'], { stdio: 'ignore' }).status === 0;

// CIE76 dE of about 2.3 is one just-noticeable difference (Sharma, Digital Color Imaging
// Handbook). Map classes must be told apart at a glance in small areas, so we ask for about five
// JNDs between categories; tone steps within one IGBP group (told apart by lightness only) need 8.
const DISTINCT = 12;
const DISTINCT_SHADE = 8;
const RED_GREEN = ['deuteranopia', 'protanopia'] as const;

/** The simplified class (1..10) of each IGBP class (1..17), from the labels module. */
const igbpGroup = IGBP_CLASSES.map((_, k) => singleLabel(simplifiedFractions(IGBP_CLASSES.map((__, j) => (j === k ? 1 : 0)))));

describe('categorical palettes', () => {
  it('have one colour per class', () => {
    expect(SIMPLIFIED_PALETTE).toHaveLength(SIMPLIFIED_CLASSES.length);
    expect(IGBP_SAFE_PALETTE).toHaveLength(IGBP_CLASSES.length);
    expect(IGBP_MODIS_PALETTE).toHaveLength(IGBP_CLASSES.length);
  });

  for (const vision of ['normal', ...RED_GREEN] as const) {
    it(`the 10 simplified classes stay >= ${DISTINCT} dE76 apart with ${vision} vision`, () => {
      const { distance, i, j } = closestPair(SIMPLIFIED_PALETTE, vision);
      expect(distance, `${SIMPLIFIED_CLASSES[i]} vs ${SIMPLIFIED_CLASSES[j]}`).toBeGreaterThanOrEqual(DISTINCT);
    });

    it(`safe IGBP colours: other groups >= ${DISTINCT}, same group >= ${DISTINCT_SHADE} dE76 apart with ${vision} vision`, () => {
      const across = closestPair(IGBP_SAFE_PALETTE, vision, (i, j) => igbpGroup[i] !== igbpGroup[j]);
      expect(across.distance, `${IGBP_CLASSES[across.i]} vs ${IGBP_CLASSES[across.j]}`).toBeGreaterThanOrEqual(DISTINCT);
      const within = closestPair(IGBP_SAFE_PALETTE, vision, (i, j) => igbpGroup[i] === igbpGroup[j]);
      expect(within.distance, `${IGBP_CLASSES[within.i]} vs ${IGBP_CLASSES[within.j]}`).toBeGreaterThanOrEqual(DISTINCT_SHADE);
    });
  }

  it('the safe IGBP colours of one group are ordered by lightness, as the palette promises', () => {
    for (let k = 1; k < IGBP_CLASSES.length; k++) {
      if (igbpGroup[k] !== igbpGroup[k - 1]) continue;
      expect(labAsSeen(IGBP_SAFE_PALETTE[k], 'normal')[0]).toBeGreaterThan(labAsSeen(IGBP_SAFE_PALETTE[k - 1], 'normal')[0]);
    }
  });

  it('the conventional MODIS IGBP colours fail the same check under red-green colour blindness (why it is not the default)', () => {
    const worst = Math.min(...RED_GREEN.map((vision) => closestPair(IGBP_MODIS_PALETTE, vision, (i, j) => igbpGroup[i] !== igbpGroup[j]).distance));
    expect(worst).toBeLessThan(DISTINCT);
  });
});

describe('rampColour', () => {
  const blackToWhite = { name: 'test', stops: hexColours('000000ffffff') };

  it('interpolates between stops and clamps outside [0, 1]', () => {
    expect(rampColour(0.5, blackToWhite)).toEqual([128, 128, 128]);
    expect(rampColour(0.25, { name: 'three', stops: hexColours(['#000000', '#c86400', '#ffffff']) })).toEqual([100, 50, 0]);
    expect(rampColour(-3, blackToWhite)).toEqual([0, 0, 0]);
    expect(rampColour(7, blackToWhite)).toEqual([255, 255, 255]);
    expect(rampColour(1, RAMPS.viridis)).toEqual(hexColours('fde725')[0]);
  });

  it('refuses NaN', () => {
    expect(() => rampColour(Number.NaN, RAMPS.viridis)).toThrow(/NaN/);
  });

  it('sequential ramps get lighter all the way; the diverging ones are lightest in the middle', () => {
    const lightness = (name: RampName) => Array.from({ length: 101 }, (_, k) => labAsSeen(rampColour(k / 100, RAMPS[name]), 'normal')[0]);
    for (const name of ['viridis', 'cividis'] as const) {
      const l = lightness(name);
      for (let k = 1; k < l.length; k++) expect(l[k]).toBeGreaterThan(l[k - 1]);
    }
    for (const name of ['rdbu', 'brbg'] as const) {
      const l = lightness(name);
      expect(l.indexOf(Math.max(...l))).toBe(50);
    }
  });

  it.skipIf(!matplotlibAvailable)('viridis, cividis, RdBu and BrBG match matplotlib (needs /usr/bin/python3 with matplotlib)', () => {
    const script = `
import json, matplotlib
print(json.dumps({n: [[round(c * 255) for c in matplotlib.colormaps[m](k / 255)[:3]] for k in range(256)]
                  for n, m in (('viridis', 'viridis'), ('cividis', 'cividis'), ('rdbu', 'RdBu'), ('brbg', 'BrBG'))}))`;
    const out = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    const reference = JSON.parse(out.stdout) as Record<RampName, number[][]>;
    for (const name of ['viridis', 'cividis', 'rdbu', 'brbg'] as const) {
      // Our RdBu and BrBG interpolate ColorBrewer's 11 stops; matplotlib resamples them into 256 bins.
      const tolerance = name === 'rdbu' || name === 'brbg' ? 3 : 0;
      reference[name].forEach((rgb, k) => {
        const ours = rampColour(k / 255, RAMPS[name]);
        for (let c = 0; c < 3; c++) expect(Math.abs(ours[c] - rgb[c]), `${name} at ${k}/255`).toBeLessThanOrEqual(tolerance);
      });
    }
  });
});

describe('hexColours and cssHex', () => {
  it('round-trip and refuse malformed input', () => {
    expect(hexColours(['#0a0B0c', 'ff0080'])).toEqual([
      [10, 11, 12],
      [255, 0, 128],
    ]);
    expect(cssHex([10, 11, 255])).toBe('#0a0bff');
    expect(() => hexColours('12345')).toThrow(/hex/);
    expect(() => hexColours(['#zz0000'])).toThrow(/hex/);
  });
});
