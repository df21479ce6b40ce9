import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { parsePatchFileName, sceneKey } from '../../core/common/dataset/names.js';
import {
  loadHoldoutScenes,
  officialSplit,
  parseHoldoutScenes,
  splitInOrder,
  validationScenes,
} from '../../core/dataset/splits.js';

const REFERENCE = '/work/shared/reference';
const haveReference = existsSync(`${REFERENCE}/test_list.txt`) && existsSync(`${REFERENCE}/train_list_1024.txt`);

function readNames(file: string) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((name) => {
      const ref = parsePatchFileName(name.trim());
      if (!ref) throw new Error(`bad name ${name}`);
      return ref;
    });
}

describe('hold-out scenes', () => {
  it('loads the 26 official hold-out scenes keyed by ROI set and scene', () => {
    const scenes = loadHoldoutScenes();
    expect(scenes.size).toBe(26);
    expect(scenes.has(sceneKey({ roi: 'ROIs1158_spring', scene: 63 }))).toBe(true);
    // The same number in another season is another place.
    expect(officialSplit({ roi: 'ROIs1158_spring', scene: 63, patch: 1 })).toBe('test');
    expect(officialSplit({ roi: 'ROIs1970_fall', scene: 63, patch: 1 })).toBe('train');
  });

  it('ignores the sensor prefix, blank lines and comments', () => {
    const keys = parseHoldoutScenes('# hold-out\nROIs1868_summer/s2_5\n\nROIs1868_summer/lc_5\r\nROIs1970_fall/s1_7\n', 'h.txt');
    expect([...keys].sort()).toEqual(['ROIs1868_summer/5', 'ROIs1970_fall/7']);
  });

  it('names the file and line of a malformed entry', () => {
    let err: unknown;
    try {
      parseHoldoutScenes('ROIs1158_spring/s1_63\nROIs1158_spring_s1_64\n', 'holdout.txt');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatasetFileError);
    expect((err as DatasetFileError).file).toBe('holdout.txt');
    expect((err as DatasetFileError).reason).toContain('line 2');
  });

  describe.skipIf(!haveReference)(`agrees with the published lists (skipped where ${REFERENCE} is absent)`, () => {
    it('puts all 18,106 patches of test_list.txt in the test split, from 26 scenes', () => {
      const refs = readNames(`${REFERENCE}/test_list.txt`);
      expect(refs).toHaveLength(18106);
      expect(refs.filter((r) => officialSplit(r) !== 'test')).toEqual([]);
      expect(new Set(refs.map(sceneKey)).size).toBe(26);
    });

    it('puts all 1,024 finetuning patches of train_list_1024.txt in the train split', () => {
      const refs = readNames(`${REFERENCE}/train_list_1024.txt`);
      expect(refs).toHaveLength(1024);
      expect(refs.filter((r) => officialSplit(r) !== 'train')).toEqual([]);
    });
  });
});

describe('validationScenes', () => {
  const train = Array.from({ length: 100 }, (_, i) => `ROIs1970_fall/${1000 + i}`);

  it('draws round(fraction * scenes) distinct train scenes, the same for the same seed', () => {
    const a = validationScenes(train, 0.2, 7);
    expect(a.size).toBe(20);
    for (const k of a) expect(train).toContain(k);
    expect([...validationScenes([...train].reverse(), 0.2, 7)].sort()).toEqual([...a].sort());
    expect([...validationScenes(train, 0.2, 8)].sort()).not.toEqual([...a].sort());
  });

  it('never picks a hold-out scene, even when one is passed in', () => {
    const test = [...loadHoldoutScenes()];
    const picked = validationScenes([...test, 'ROIs1970_fall/1000'], 0.9, 1);
    expect([...picked]).toEqual(['ROIs1970_fall/1000']);
  });

  it('takes at least one scene for a positive fraction, none for zero, and refuses fractions outside [0, 1)', () => {
    expect(validationScenes(train.slice(0, 3), 0.01, 1).size).toBe(1);
    expect(validationScenes(train, 0, 1).size).toBe(0);
    expect(() => validationScenes(train, 1, 1)).toThrow(RangeError);
    expect(() => validationScenes(train, -0.1, 1)).toThrow(RangeError);
  });
});

describe('splitInOrder', () => {
  it('splits 1,024 items 819 / 205 in list order', () => {
    const items = Array.from({ length: 1024 }, (_, i) => i);
    const { train, val } = splitInOrder(items, 0.8);
    expect(train).toHaveLength(819);
    expect(val).toHaveLength(205);
    expect(train[818]).toBe(818);
    expect(val[0]).toBe(819);
  });

  it('does not lose an item to floating-point rounding', () => {
    expect(splitInOrder(Array.from({ length: 100 }, (_, i) => i), 0.29).train).toHaveLength(29);
    expect(() => splitInOrder([1], 1.5)).toThrow(RangeError);
  });
});
