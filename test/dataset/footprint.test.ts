import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { footprintOf, signedArea2, type Footprint, type Point } from '../../core/dataset/footprint.js';
import type { GeoKeys, RasterHeader } from '../../core/dataset/tiff/types.js';

const PYTHON = '/usr/bin/python3';
const rasterioAvailable =
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import rasterio.warp'], { encoding: 'utf8' }).status === 0;

function header(geoKeys: GeoKeys, x: number, y: number, pixel = 10): RasterHeader {
  return {
    width: 256,
    height: 256,
    bands: 1,
    dtype: 'uint16',
    geoKeys,
    tiepoint: [0, 0, 0, x, y, 0],
    pixelScale: [pixel, pixel, 0],
    layout: { tiled: false, blockWidth: 256, blockHeight: 1, compression: 1, predictor: 1, planarConfig: 1 },
  };
}

const projected = (epsg: number, x: number, y: number) => header({ 1024: 1, 1025: 1, 3072: epsg }, x, y);

/** [lon, lat] of points transformed by rasterio (PROJ), in one Python call. */
function rasterioLonLat(groups: { crs: string; points: Point[] }[]): Point[][] {
  const script = `
import json, sys
from rasterio.warp import transform
out = []
for g in json.load(sys.stdin):
    lon, lat = transform(g['crs'], 'EPSG:4326', [p[0] for p in g['points']], [p[1] for p in g['points']])
    out.append([[a, b] for a, b in zip(lon, lat)])
print(json.dumps(out))
`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(groups), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Point[][];
}

/** Longitude difference folded into [-180, 180), so 180.01 and -179.99 compare equal. */
function lonDiff(a: number, b: number): number {
  return ((((a - b + 180) % 360) + 360) % 360) - 180;
}

function expectClosedCcw(ring: Point[]): void {
  expect(ring).toHaveLength(5);
  expect(ring[4]).toEqual(ring[0]);
  expect(signedArea2(ring.slice(0, 4))).toBeGreaterThan(0);
}

describe('footprintOf', () => {
  it('puts the documented winter patch (EPSG:32719) near lon -70.22, lat -37.11', () => {
    const fp = footprintOf(projected(32719, 391638.47, 5891800.15), 'ROIs2017_winter_s2_1_p1.tif');
    expect(fp.epsg).toBe(32719);
    expect(fp.crsRing[0]).toEqual([391638.47, 5891800.15]);
    expect(fp.ring[0][0]).toBeCloseTo(-70.22, 2);
    expect(fp.ring[0][1]).toBeCloseTo(-37.11, 2);
  });

  it('returns closed counter-clockwise rings starting at the top-left corner, 2,560 m a side', () => {
    const fp = footprintOf(projected(32633, 500000, 4000000), 'a.tif');
    expectClosedCcw(fp.crsRing);
    expectClosedCcw(fp.ring);
    expect(fp.crsRing.slice(0, 4)).toEqual([
      [500000, 4000000],
      [500000, 3997440],
      [502560, 3997440],
      [502560, 4000000],
    ]);
    // The top-left corner is the north-west one in lon/lat too.
    expect(fp.ring[0][1]).toBeGreaterThan(fp.ring[1][1]);
    expect(fp.ring[0][0]).toBeLessThan(fp.ring[3][0]);
  });

  it('keeps a ring counter-clockwise when the raster runs bottom-up (negative y scale)', () => {
    const fp = footprintOf(header({ 1024: 1, 3072: 32633 }, 500000, 4000000, 10), 'a.tif');
    const flipped = footprintOf({ ...header({ 1024: 1, 3072: 32633 }, 500000, 3997440), pixelScale: [10, -10, 0] }, 'b.tif');
    expectClosedCcw(flipped.crsRing);
    expectClosedCcw(flipped.ring);
    expect(new Set(flipped.crsRing.map(String))).toEqual(new Set(fp.crsRing.map(String)));
  });

  it('keeps a zone-60 patch that straddles the antimeridian in one piece past 180', () => {
    const fp = footprintOf(projected(32660, 636000, 7300000), 'a.tif');
    const lons = fp.ring.map((p) => p[0]);
    expect(Math.max(...lons)).toBeGreaterThan(180);
    expect(Math.min(...lons)).toBeLessThan(180);
    expect(Math.max(...lons) - Math.min(...lons)).toBeLessThan(0.1);
    expect(Math.abs(fp.centroid[0])).toBeLessThanOrEqual(180);
    expectClosedCcw(fp.ring);
  });

  it('keeps a zone-1 patch that straddles the antimeridian in one piece below -180', () => {
    const fp = footprintOf(projected(32601, 361440, 7300000), 'a.tif');
    const lons = fp.ring.map((p) => p[0]);
    expect(Math.min(...lons)).toBeLessThan(-180);
    expect(Math.max(...lons)).toBeGreaterThan(-180);
    expect(Math.max(...lons) - Math.min(...lons)).toBeLessThan(0.1);
    expectClosedCcw(fp.ring);
  });

  it('covers the equator from both hemispheres', () => {
    const north = footprintOf(projected(32631, 500000, 2560), 'n.tif');
    expect(north.ring[1][1]).toBeCloseTo(0, 9);
    const south = footprintOf(projected(32731, 500000, 10001280), 's.tif');
    expect(south.ring[0][1]).toBeGreaterThan(0);
    expect(south.ring[1][1]).toBeLessThan(0);
    expect(south.centroid[1]).toBeCloseTo(0, 9);
  });

  it('places a user-defined Transverse Mercator equal to UTM 33N where EPSG:32633 is', () => {
    const keys: GeoKeys = { 1024: 1, 2048: 32767, 2050: 6326, 3072: 32767, 3075: 1, 3076: 9001, 3080: 15, 3081: 0, 3082: 500000, 3083: 0, 3092: 0.9996 };
    const user = footprintOf(header(keys, 400000, 5000000), 'tm.tif');
    const epsg = footprintOf(projected(32633, 400000, 5000000), 'utm.tif');
    expect(user.epsg).toBeNull();
    for (let i = 0; i < 5; i++) {
      expect(user.ring[i][0]).toBeCloseTo(epsg.ring[i][0], 10);
      expect(user.ring[i][1]).toBeCloseTo(epsg.ring[i][1], 10);
    }
  });

  it('passes a geographic file through unchanged', () => {
    const fp = footprintOf(header({ 1024: 2, 2048: 4326 }, 10, 50, 0.0001), 'g.tif');
    for (let i = 0; i < 5; i++) {
      expect(fp.ring[i][0]).toBeCloseTo(fp.crsRing[i][0], 12);
      expect(fp.ring[i][1]).toBeCloseTo(fp.crsRing[i][1], 12);
    }
    expect(fp.centroid[0]).toBeCloseTo(10.0128, 12);
  });

  describe.skipIf(!rasterioAvailable)('agrees with rasterio.warp.transform (skipped where /usr/bin/python3 has no rasterio)', () => {
    const cases: { name: string; crs: string; fp: Footprint }[] = [
      [32601, 300000, 4000000],
      [32701, 700000, 8000000],
      [32631, 500000, 6000000],
      [32731, 300000, 1000000],
      [32633, 650000, 5200000],
      [32733, 420000, 7000000],
      [32660, 800000, 600000],
      [32760, 200000, 9000000],
      [32660, 636000, 7300000],
      [32601, 361440, 7300000],
      [32631, 500000, 2560],
      [32719, 391638.47, 5891800.15],
      // The other projected codes built offline.
      [3857, 500000, 5000000],
      [3395, 500000, 5000000],
      [3035, 4321000, 3210000],
      [5041, 2000000, 1000000],
      [26915, 500000, 5000000],
      [25832, 500000, 5000000],
    ].map(([epsg, x, y]) => ({ name: `EPSG:${epsg} (${x}, ${y})`, crs: `EPSG:${epsg}`, fp: footprintOf(projected(epsg, x, y), 'a.tif') }));
    // A user-defined Lambert Conformal Conic in US survey feet: EPSG:2263 spelt out in GeoKeys.
    const lccKeys: GeoKeys = {
      1024: 1, 2048: 4269, 3072: 32767, 3075: 8, 3076: 9003, 3078: 41.03333333333333, 3079: 40.66666666666666,
      3084: -74, 3085: 40.16666666666666, 3086: 984250, 3087: 0,
    };
    cases.push({ name: 'user-defined LCC in US feet', crs: 'EPSG:2263', fp: footprintOf(header(lccKeys, 980000, 200000, 30), 'lcc.tif') });

    let refs: Point[][] = [];
    beforeAll(() => {
      refs = rasterioLonLat(cases.map((c) => ({ crs: c.crs, points: [...c.fp.crsRing, rasterCentre(c.fp)] })));
    });

    it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
      const c = cases[i];
      const ref = refs[i];
      const ours = [...c.fp.ring, c.fp.centroid];
      for (let k = 0; k < ours.length; k++) {
        expect(Math.abs(lonDiff(ours[k][0], ref[k][0]))).toBeLessThan(1e-7);
        expect(ours[k][1]).toBeCloseTo(ref[k][1], 7);
      }
    });
  });
});

/** The middle of a parallelogram ring in its CRS: the mean of two opposite corners. */
function rasterCentre(fp: Footprint): Point {
  const [a, , c] = fp.crsRing;
  return [(a[0] + c[0]) / 2, (a[1] + c[1]) / 2];
}
