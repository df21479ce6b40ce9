import proj4 from 'proj4';
import { describe, expect, it } from 'vitest';
import { footprintOf, type Footprint } from '../../core/dataset/footprint.js';
import { nonOverlapping, onePerScene, randomSubset, type FootprintShape } from '../../core/dataset/subsets.js';
import type { RasterHeader } from '../../core/dataset/tiff/types.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('randomSubset', () => {
  it('draws n distinct items in input order, the same for the same seed', () => {
    const items = range(1000);
    const a = randomSubset(items, 50, { seed: 3 });
    expect(a).toHaveLength(50);
    expect(new Set(a).size).toBe(50);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(randomSubset(items, 50, { seed: 3 })).toEqual(a);
    expect(randomSubset(items, 50, { seed: 4 })).not.toEqual(a);
    expect(randomSubset(items, 1000, { seed: 3 })).toEqual(items);
    expect(randomSubset(items, 0, { seed: 3 })).toEqual([]);
  });

  it('gives each stratum its largest-remainder share, adding up to n exactly', () => {
    // The seasons of the research's 1,024 finetuning patches.
    const counts = { fall: 341, summer: 270, spring: 222, winter: 191 };
    const items = Object.entries(counts).flatMap(([season, n]) => range(n).map((i) => ({ season, i })));
    const sub = randomSubset(items, 100, { seed: 1, stratify: (t) => t.season });
    const got = Object.fromEntries(Object.keys(counts).map((s) => [s, sub.filter((t) => t.season === s).length]));
    // Exact shares 33.30, 26.37, 21.68, 18.65: floors 98, the two largest remainders get one more.
    expect(got).toEqual({ fall: 33, summer: 26, spring: 22, winter: 19 });
  });

  it('keeps one stratum draw independent of the others', () => {
    const a = [...range(10).map((i) => ({ s: 'a', i })), ...range(10).map((i) => ({ s: 'b', i }))];
    const b = [...range(10).map((i) => ({ s: 'a', i })), ...range(10).map((i) => ({ s: 'c', i }))];
    const pickA = (xs: { s: string; i: number }[]) => randomSubset(xs, 10, { seed: 9, stratify: (t) => t.s }).filter((t) => t.s === 'a');
    expect(pickA(a)).toEqual(pickA(b));
  });

  it('refuses a size outside [0, items]', () => {
    expect(() => randomSubset(range(5), 6, { seed: 1 })).toThrow(RangeError);
    expect(() => randomSubset(range(5), 1.5, { seed: 1 })).toThrow(RangeError);
  });
});

describe('onePerScene', () => {
  const items = ['s1', 's2', 's3'].flatMap((scene) => range(20).map((p) => ({ scene, p })));

  it('takes exactly one item of every scene, reproducibly', () => {
    const sub = onePerScene(items, (t) => t.scene, 5);
    expect(sub.map((t) => t.scene)).toEqual(['s1', 's2', 's3']);
    expect(onePerScene(items, (t) => t.scene, 5)).toEqual(sub);
    const seeds = range(20).map((s) => onePerScene(items, (t) => t.scene, s)[0].p);
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it('keeps a scene choice when other scenes are added', () => {
    const more = [...items, ...range(20).map((p) => ({ scene: 's0', p }))];
    const first = onePerScene(items, (t) => t.scene, 5).find((t) => t.scene === 's2');
    expect(onePerScene(more, (t) => t.scene, 5).find((t) => t.scene === 's2')).toEqual(first);
  });
});

function patch(epsg: number, x: number, y: number): Footprint {
  const header: RasterHeader = {
    width: 256,
    height: 256,
    bands: 1,
    dtype: 'uint16',
    geoKeys: { 1024: 1, 1025: 1, 3072: epsg },
    tiepoint: [0, 0, 0, x, y, 0],
    pixelScale: [10, 10, 0],
    layout: { tiled: false, blockWidth: 256, blockHeight: 1, compression: 1, predictor: 1, planarConfig: 1 },
  };
  return footprintOf(header, `${epsg}_${x}_${y}.tif`);
}

/** A scene as SEN12MS cuts it: 256-pixel patches every 128 pixels, row by row. */
function scene(epsg: number, x0: number, y0: number, rows: number, cols: number, stride = 1280) {
  return range(rows).flatMap((r) => range(cols).map((c) => ({ r, c, fp: patch(epsg, x0 + c * stride, y0 - r * stride) })));
}

describe('nonOverlapping', () => {
  it('keeps every other patch of a stride-128 scene, first come first served', () => {
    const kept = nonOverlapping(scene(32633, 400000, 5000000, 5, 5), (p) => p.fp);
    expect(kept.map((p) => [p.r, p.c])).toEqual([
      [0, 0], [0, 2], [0, 4],
      [2, 0], [2, 2], [2, 4],
      [4, 0], [4, 2], [4, 4],
    ]);
  });

  it('follows the given order', () => {
    const patches = scene(32633, 400000, 5000000, 1, 3);
    expect(nonOverlapping([patches[1], patches[0], patches[2]], (p) => p.fp).map((p) => p.c)).toEqual([1]);
  });

  it('keeps patches that only touch along an edge, origins rounded as stored', () => {
    const patches = scene(32719, 391638.47, 5891800.15, 3, 3, 2560);
    expect(nonOverlapping(patches, (p) => p.fp)).toHaveLength(9);
  });

  it('drops a patch whose lon/lat footprint overlaps one kept in another UTM zone', () => {
    const a = patch(32633, 800000, 5000000);
    // A zone-34 patch whose top-left corner is a's centre: a quarter of it over a.
    const [x, y] = proj4('EPSG:4326', 'EPSG:32634').forward(a.centroid);
    const b = patch(32634, x, y);
    const far = patch(32634, 300000, 5000000);
    expect(nonOverlapping([a, b, far], (f) => f)).toEqual([a, far]);
  });

  it('tests rotated footprints exactly, not by their bounding boxes', () => {
    const diamond = (cx: number, cy: number): FootprintShape => {
      const ring: [number, number][] = [[cx + 1, cy], [cx, cy + 1], [cx - 1, cy], [cx, cy - 1], [cx + 1, cy]];
      return { epsg: 32633, crsRing: ring, ring };
    };
    const a = diamond(0, 0);
    // Bounding boxes overlap in all three; the diamonds are apart, touch along an edge, overlap.
    expect(nonOverlapping([a, diamond(1.5, 1.5)], (f) => f)).toHaveLength(2);
    expect(nonOverlapping([a, diamond(1, 1)], (f) => f)).toHaveLength(2);
    expect(nonOverlapping([a, diamond(0.9, 0.9)], (f) => f)).toEqual([a]);
  });

  it('compares across the antimeridian', () => {
    const east = patch(32660, 636000, 7300000);
    const west = patch(32601, 361440, 7300000);
    expect(Math.max(...east.ring.map((p) => p[0]))).toBeGreaterThan(180);
    expect(nonOverlapping([east, west], (f) => f)).toEqual([east]);
    expect(nonOverlapping([west, east], (f) => f)).toEqual([west]);
  });

  it('handles a large scene through its grid hash', () => {
    const kept = nonOverlapping(scene(32631, 300000, 6000000, 60, 60), (p) => p.fp);
    expect(kept).toHaveLength(30 * 30);
  });
});
