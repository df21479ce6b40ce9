import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { patchFileName } from '../../core/common/dataset/names.js';
import { loadPatchItems, type PatchItem } from '../../core/sampler/patch-items.js';
import { selectPatches } from '../../core/sampler/selection.js';
import { type PatchSelection } from '../../core/common/sampler/selection-spec.js';
import { Rng } from '../../core/util/rng.js';
import { makeFixture, type Fixture } from './fixture.js';

// Seed 2: five train scenes (two share number 98 in different seasons), one hold-out scene.
let fx: Fixture;
let items: PatchItem[];
const ids = (list: PatchItem[]) => list.map((it) => it.id);
const scenes = (list: PatchItem[]) => new Set(list.map((it) => it.sceneKey));

beforeAll(async () => {
  fx = await makeFixture({ scenes: 6, patchesPerScene: 4, seed: 2 });
  items = loadPatchItems(fx.catalog);
});

afterAll(() => fx.cleanup());

async function writeList(name: string, list: string[]): Promise<string> {
  const file = join(fx.root, name);
  await writeFile(file, list.join('\n'));
  return file;
}

describe('splits', () => {
  it('holds whole train scenes out for validation, never test scenes', async () => {
    const sel = { valFraction: 0.4, seed: 5 };
    const train = await selectPatches(items, { ...sel, split: 'train' });
    const val = await selectPatches(items, { ...sel, split: 'val' });
    // round(0.4 * 5 train scenes) = 2.
    expect(scenes(val).size).toBe(2);
    for (const key of scenes(val)) expect(scenes(train).has(key)).toBe(false);
    expect([...train, ...val].every((it) => it.split === 'train')).toBe(true);
    expect(new Set([...ids(train), ...ids(val)])).toEqual(new Set(ids(items.filter((it) => it.split === 'train'))));
    expect(ids(await selectPatches(items, { ...sel, split: 'val' }))).toEqual(ids(val));
  });

  it('keeps the same validation scenes whatever subset or requireS1 the train side uses', async () => {
    const val = scenes(await selectPatches(items, { split: 'val', valFraction: 0.4, seed: 9 }));
    const train = await selectPatches(items, { split: 'train', valFraction: 0.4, seed: 9, requireS1: true, subset: { kind: 'one-per-scene' } });
    for (const it of train) expect(val.has(it.sceneKey)).toBe(false);
  });

  it('returns the official test split for test and everything for all', async () => {
    expect(ids(await selectPatches(items, { split: 'test', seed: 1 }))).toEqual(ids(items.filter((it) => it.split === 'test')));
    expect(ids(await selectPatches(items, { split: 'all', seed: 1 }))).toEqual(ids(items));
  });

  it('drops patches without S1 when asked to', async () => {
    const all = await selectPatches(items, { split: 'all', seed: 1, requireS1: true });
    expect(ids(all)).toEqual(ids(items.filter((it) => it.id !== fx.withoutS1)));
  });

  it('rejects bad selections, naming the field', async () => {
    await expect(selectPatches(items, { split: 'dev' as PatchSelection['split'], seed: 1 })).rejects.toThrow(/split/);
    await expect(selectPatches(items, { split: 'train', seed: -1 })).rejects.toThrow(/seed/);
    await expect(selectPatches(items, { split: 'train', seed: 1, valFraction: 1 })).rejects.toThrow(/valFraction/);
    await expect(selectPatches(items, { split: 'test', seed: 1, subset: { kind: 'random', n: 1000 } })).rejects.toThrow(/n must be/);
  });
});

describe('subsets', () => {
  it('draws a random subset stratified by season, in catalog order, reproducibly', async () => {
    const sel: PatchSelection = { split: 'all', seed: 3, subset: { kind: 'random', n: 12, stratifyBySeason: true } };
    const got = await selectPatches(items, sel);
    const perSeason = (list: PatchItem[]) => Object.fromEntries(['spring', 'summer', 'fall', 'winter'].map((s) => [s, list.filter((it) => it.season === s).length]));
    const whole = perSeason(items);
    // Half of each season: the data set has 8, 8, 4 and 4 patches.
    expect(perSeason(got)).toEqual(Object.fromEntries(Object.entries(whole).map(([s, c]) => [s, c / 2])));
    const order = ids(items);
    const at = ids(got).map((id) => order.indexOf(id));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(ids(await selectPatches(items, sel))).toEqual(ids(got));
    expect(ids(await selectPatches(items, { ...sel, seed: 4 }))).not.toEqual(ids(got));
  });

  it('takes one patch per scene from the selected split', async () => {
    const got = await selectPatches(items, { split: 'train', valFraction: 0, seed: 1, subset: { kind: 'one-per-scene' } });
    expect(got).toHaveLength(5);
    expect(scenes(got).size).toBe(5);
    expect(got.every((it) => it.split === 'train')).toBe(true);
  });

  it('keeps a non-overlapping subset greedily in catalog order', async () => {
    const got = await selectPatches(items, { split: 'all', seed: 1, subset: { kind: 'non-overlapping' } });
    const box = (it: PatchItem) => [it.footprint!.crsRing[0], it.footprint!.crsRing[2]].flat();
    const overlap = (a: PatchItem, b: PatchItem) => {
      if (a.footprint!.epsg !== b.footprint!.epsg) return false;
      const [ax0, ay0, ax1, ay1] = box(a);
      const [bx0, by0, bx1, by1] = box(b);
      return Math.min(ax1, bx1) - Math.max(ax0, bx0) > 1 && Math.min(ay1, by1) - Math.max(ay0, by0) > 1;
    };
    expect(got.length).toBeLessThan(items.length);
    for (const a of got) for (const b of got) if (a !== b) expect(overlap(a, b)).toBe(false);
    // Greedy: every dropped patch overlaps a kept one that comes before it.
    for (const it of items.filter((x) => !got.includes(x))) {
      expect(got.some((k) => items.indexOf(k) < items.indexOf(it) && overlap(k, it))).toBe(true);
    }
  });
});

describe('list subsets', () => {
  let trainNames: string[];

  beforeAll(() => {
    const train = items.filter((it) => it.split === 'train' && it.id !== fx.withoutS1);
    trainNames = new Rng(11).shuffle(train.map((it) => patchFileName(it, 's2'))).slice(0, 10);
  });

  const idOf = (name: string) => name.replace('_s2_', '_').replace('.tif', '');

  it('keeps list order and cuts it 80/20 in order', async () => {
    const file = await writeList('list.txt', trainNames);
    const subset = { kind: 'list', file } as const;
    expect(ids(await selectPatches(items, { split: 'train', seed: 1, subset }))).toEqual(trainNames.slice(0, 8).map(idOf));
    expect(ids(await selectPatches(items, { split: 'val', seed: 1, subset }))).toEqual(trainNames.slice(8).map(idOf));
    expect(ids(await selectPatches(items, { split: 'all', seed: 1, subset }))).toEqual(trainNames.map(idOf));
    const json = join(fx.root, 'list.json');
    await writeFile(json, JSON.stringify(trainNames));
    const cut = await selectPatches(items, { split: 'train', seed: 1, subset: { kind: 'list', file: json, valFraction: 0.3 } });
    expect(ids(cut)).toEqual(trainNames.slice(0, 7).map(idOf));
  });

  it('cuts before dropping patches without S1, so the cut does not move', async () => {
    const names = [patchFileName(items.find((it) => it.id === fx.withoutS1)!, 's2'), ...trainNames.slice(0, 4)];
    const file = await writeList('with-s1-less.txt', names);
    const got = await selectPatches(items, { split: 'train', seed: 1, requireS1: true, subset: { kind: 'list', file } });
    expect(ids(got)).toEqual(names.slice(1, 4).map(idOf));
  });

  it('names the patches the catalog does not have', async () => {
    const unknown = ['ROIs1158_spring_s2_1_p1.tif', 'ROIs1158_spring_s2_1_p2.tif'];
    const file = await writeList('unknown.txt', [...trainNames.slice(0, 3), ...unknown]);
    const err = await selectPatches(items, { split: 'train', seed: 1, subset: { kind: 'list', file } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetFileError);
    expect((err as DatasetFileError).file).toBe(file);
    expect((err as Error).message).toContain(`${unknown.join(', ')} (2)`);
  });

  it('refuses test patches in a train list and train patches in a test list', async () => {
    const testName = patchFileName(items.find((it) => it.split === 'test')!, 's2');
    const file = await writeList('mixed.txt', [...trainNames.slice(0, 3), testName]);
    await expect(selectPatches(items, { split: 'train', seed: 1, subset: { kind: 'list', file } })).rejects.toThrow(idOf(testName));
    await expect(selectPatches(items, { split: 'test', seed: 1, subset: { kind: 'list', file } })).rejects.toThrow(idOf(trainNames[0]));
    expect(await selectPatches(items, { split: 'all', seed: 1, subset: { kind: 'list', file } })).toHaveLength(4);
  });
});
