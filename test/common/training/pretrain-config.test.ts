import { describe, expect, it } from 'vitest';
import { AUG_PRESETS, augmentConfig } from '../../../core/common/training/augment-presets.js';
import { KNN_DEFAULTS, resolvePretrainConfig } from '../../../core/common/training/pretrain-config.js';

const catalog = '/data/catalog.sqlite';

describe('resolvePretrainConfig: the record says what runs', () => {
  it("follows the draft: 1x1 blocks frozen; sensor-pairs augments nothing and says so for both views", () => {
    const config = resolvePretrainConfig({ catalog });
    expect(config).toMatchObject({ strategy: 'sensor-pairs', inputBlocks: true, freezeInputBlocks: true, aug: 'none', knn: KNN_DEFAULTS });
    expect(config.frozen).toEqual(['input.s1', 'input.s2']);
    expect(config.views.q.augment).toEqual(AUG_PRESETS.none);
    expect(config.views.k.augment).toEqual(AUG_PRESETS.none);
    expect(config.views.q.inputs).toMatch(/^s2 through its 1x1 input block for the first half of the batch, s1 through its 1x1 input block for the second$/);
    expect(config.views.k.inputs).toMatch(/s1 through its 1x1 input block for the first half, s2 through its 1x1 input block for the second/);
    expect(resolvePretrainConfig({ catalog, freezeInputBlocks: false }).frozen).toEqual([]);
  });

  it('records the augmentation each view gets, elastic included, and every selection default', () => {
    const config = resolvePretrainConfig({ catalog, strategy: 'sensor-pairs+augment', aug: 'aug-set-3', elastic: true });
    expect(config.views.q.augment).toEqual(augmentConfig('aug-set-3', { elastic: true }));
    expect(config.views.k.augment).toEqual(config.views.q.augment);
    expect(config.selection).toEqual({ split: 'train', seed: 0, valFraction: 0.1, subset: { kind: 'all' } });
    const fusion = resolvePretrainConfig({ catalog, strategy: 'partial-fusion' });
    expect(fusion).toMatchObject({ aug: 'aug-set-2', inputBlocks: false, frozen: [] });
    expect(fusion.views.q.inputs).toMatch(/12 channels.*S1 only, S2 only or both/);
    const list = resolvePretrainConfig({ catalog, selection: { split: 'all', seed: 2, subset: { kind: 'list', file: '/l.txt' } } });
    expect(list.selection.subset).toEqual({ kind: 'list', file: '/l.txt', valFraction: 0.2 });
  });

  it('refuses an augmentation sensor-pairs would not apply, pointing to sensor-pairs+augment', () => {
    expect(() => resolvePretrainConfig({ catalog, aug: 'aug-set-1' })).toThrow(/aug: sensor-pairs applies no augmentation.*sensor-pairs\+augment/);
    expect(() => resolvePretrainConfig({ catalog, elastic: true })).toThrow(/elastic: sensor-pairs applies no augmentation/);
  });

  it('a resolved config resolves to itself; a record edited away from its settings is refused', () => {
    const config = resolvePretrainConfig({ catalog, strategy: 'all-fusion', aug: 'aug-set-1', depth: 18 });
    const reread = JSON.parse(JSON.stringify(config));
    expect(resolvePretrainConfig(reread)).toEqual(config);
    const edited = { ...reread, views: { ...reread.views, q: { ...reread.views.q, augment: AUG_PRESETS.none } } };
    expect(() => resolvePretrainConfig(edited)).toThrow(/views: the record .* does not match what the settings run/);
    expect(() => resolvePretrainConfig({ ...reread, frozen: ['input.s2'] })).toThrow(/frozen: the record/);
  });

  it('takes a k-NN monitor setting or null, checked', () => {
    expect(resolvePretrainConfig({ catalog, knn: null }).knn).toBeNull();
    expect(() => resolvePretrainConfig({ catalog, knn: { k: 0, bank: 10, val: 10 } })).toThrow(/knn/);
  });
});
