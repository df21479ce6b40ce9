import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LC_BANDS, S1_BANDS, S2_BANDS } from '../../../core/common/dataset/bands.js';
import { BAND_INFO, bandLabel, bandShortLabel, physicalValue } from '../../../core/common/preview/band-info.js';
import { customRgbName, previewBands, previewSpec, singleBandName } from '../../../core/common/preview/composites.js';
import { RAMPS, rampColour } from '../../../core/common/preview/palettes.js';
import { renderComposite } from '../../../core/common/preview/render.js';
import { Rng } from '../../../core/util/rng.js';
import { makeBands, pixel } from './fixtures.js';

const numpyAvailable = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

describe('band info', () => {
  it('names every band of the three sensors; S2 bands carry their centre wavelength, ascending, and native resolution', () => {
    expect(Object.keys(BAND_INFO)).toEqual([...S2_BANDS, ...S1_BANDS, ...LC_BANDS]);
    const wavelengths = S2_BANDS.map((b) => BAND_INFO[b].wavelengthNm!);
    for (let k = 1; k < wavelengths.length; k++) expect(wavelengths[k]).toBeGreaterThan(wavelengths[k - 1]);
    expect(bandLabel('B10')).toBe('B10 cirrus (SWIR), 1374 nm, 60 m');
    expect(bandLabel('B4')).toBe('B4 red, 665 nm, 10 m');
    expect(bandLabel('VH')).toBe('VH VH backscatter (C-band)');
    expect(bandShortLabel('B12')).toBe('B12 2202 nm');
    expect(bandShortLabel('IGBP')).toBe('IGBP');
    expect(() => bandLabel('B13')).toThrow(/unknown band "B13" \(one of: B1, B2/);
  });

  it('converts stored values to physical units: S2 reflectance, S1 dB and LC classes as they are', () => {
    expect(physicalValue('s2', 2500)).toBe(0.25);
    expect(physicalValue('s1', -12.5)).toBe(-12.5);
    expect(physicalValue('lc', 7)).toBe(7);
  });
});

describe('previewSpec', () => {
  it('reads named composites, single bands of every sensor and S2 custom RGBs', () => {
    expect(previewSpec('s2-ndvi').kind).toBe('ramp');
    expect(previewSpec(singleBandName('B10'))).toMatchObject({ sensor: 's2', kind: 'ramp', ramp: 'viridis', channels: [{ kind: 'band', band: 'B10' }] });
    expect(previewSpec('band:VH')).toMatchObject({ sensor: 's1', kind: 'ramp' });
    expect(previewSpec('band:LCCS_LU')).toMatchObject({ sensor: 'lc', kind: 'ramp', range: 'minmax' });
    expect(previewBands(customRgbName(['B12', 'B8', 'B4']))).toEqual(['B12', 'B8', 'B4']);
  });

  it('names what is wrong with a bad preview name', () => {
    expect(() => previewSpec('band:B13')).toThrow(/unknown band "B13" in "band:B13"/);
    expect(() => previewSpec('rgb:B4,B3')).toThrow(/three S2 bands/);
    expect(() => previewSpec('rgb:B4,B3,VV')).toThrow(/"VV" in "rgb:B4,B3,VV" is not an S2 band/);
    expect(() => previewSpec('rainbow')).toThrow(/unknown composite "rainbow" .*or band:<band>/);
  });
});

describe('a single band through viridis', () => {
  // B10 rises along x from 100 to 1000 (reflectance 0.01..0.1); one pixel is no data (0).
  const w = 10;
  const s2 = makeBands('s2', w, 1, (_, x) => (x === 3 ? 0 : 100 * (x + 1)), ['B10']);

  it('stretches between percentiles of the valid values and says so in reflectance on the colour bar', () => {
    const out = renderComposite(s2, 'band:B10', { low: 0, high: 100 });
    expect(out.ranges).toEqual([{ min: 100, max: 1000 }]);
    expect(out.colourBar).toEqual({ ramp: 'viridis', quantity: 'B10 cirrus (SWIR), 1374 nm, 60 m', unit: 'reflectance', min: 0.01, max: 0.1 });
    expect(pixel(out.rgba, w, 0, 0)).toEqual([...RAMPS.viridis.stops[0], 255]);
    expect(pixel(out.rgba, w, w - 1, 0)).toEqual([...RAMPS.viridis.stops[255], 255]);
    expect(pixel(out.rgba, w, 4, 0)).toEqual([...rampColour((500 - 100) / 900, RAMPS.viridis), 255]);
    expect(pixel(out.rgba, w, 3, 0)[3]).toBe(0);
  });

  it('S1 bands are shown in dB, LC bands over their whole class range whatever the percentiles', () => {
    const s1 = makeBands('s1', 4, 1, (_, x) => [-25, -15, Number.NaN, -5][x], ['VV']);
    expect(renderComposite(s1, 'band:VV', { low: 0, high: 100 }).colourBar).toMatchObject({ unit: 'dB', min: -25, max: -5 });
    const lc = makeBands('lc', 4, 1, (_, x) => [0, 11, 21, 43][x], ['LCCS_LC']);
    expect(renderComposite(lc, 'band:LCCS_LC', { low: 40, high: 60 }).colourBar).toMatchObject({ unit: 'class', min: 11, max: 43 });
  });
});

describe('a custom RGB', () => {
  /** Three S2 bands of skewed random reflectances with ~5% no data (0). */
  function randomS2(seed: number, size: number) {
    const rng = new Rng(seed);
    return makeBands('s2', size, size, () => (rng.next() < 0.05 ? 0 : Math.min(65535, Math.round(Math.exp(rng.normal()) * 800 + 1))), ['B12', 'B8', 'B4']);
  }

  it('puts the chosen bands in R, G and B', () => {
    const data = makeBands('s2', 2, 1, (band) => ({ B12: 3000, B8: 2000, B4: 1000 })[band]!, ['B12', 'B8', 'B4']);
    const fixed = { ranges: [0, 1, 2].map(() => ({ min: 0, max: 3000 })) };
    expect(pixel(renderComposite(data, 'rgb:B12,B8,B4', fixed).rgba, 2, 0, 0)).toEqual([255, 170, 85, 255]);
    expect(pixel(renderComposite(data, 'rgb:B4,B12,B8', fixed).rgba, 2, 0, 0)).toEqual([85, 255, 170, 255]);
  });

  it.skipIf(!numpyAvailable)('stretches each band between numpy.percentile (linear) of its valid values (needs /usr/bin/python3 with numpy)', () => {
    const data = randomS2(5, 64);
    const [low, high] = [2, 98];
    const out = renderComposite(data, 'rgb:B12,B8,B4', { low, high });
    const script = 'import json, sys, numpy as np; d = json.load(sys.stdin); print(json.dumps([np.percentile(np.array([v for v in b if v != 0], dtype=np.float64), [d["lo"], d["hi"]]).tolist() for b in d["bands"]]))';
    const input = JSON.stringify({ lo: low, hi: high, bands: ['B12', 'B8', 'B4'].map((b) => Array.from(data.bands[b]!)) });
    const run = spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const reference = JSON.parse(run.stdout) as [number, number][];
    reference.forEach(([min, max], k) => {
      expect(out.ranges[k].min).toBeCloseTo(min, 9);
      expect(out.ranges[k].max).toBeCloseTo(max, 9);
    });
  });

  it('hand values: percentiles interpolate linearly between ranks, no data (0) left out', () => {
    // Valid B4 values 10, 20, 30, 40, 50 (and two zeros): the 25th percentile is 20, the 90th 46.
    const values = [0, 10, 20, 0, 30, 40, 50];
    const data = makeBands('s2', values.length, 1, (_, x) => values[x], ['B4', 'B3', 'B2']);
    expect(renderComposite(data, 'rgb:B4,B3,B2', { low: 25, high: 90 }).ranges[0]).toEqual({ min: 20, max: 46 });
  });
});
