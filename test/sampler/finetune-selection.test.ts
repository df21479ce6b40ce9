import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPatchItems, type PatchItem } from '../../core/sampler/patch-items.js';
import { resolveFinetuneConfig } from '../../core/common/training/finetune-config.js';
import { finetuneSelection } from '../../core/sampler/finetune-selection.js';
import { makeFixture, type Fixture } from './fixture.js';

let fx: Fixture;
let items: PatchItem[];

beforeAll(async () => {
  fx = await makeFixture({ scenes: 6, patchesPerScene: 6, seed: 4 });
  items = loadPatchItems(fx.catalog);
});

afterAll(() => fx.cleanup());

describe('finetune selection', () => {
  it('random:N takes N training labels and validates on N/4 patches of the validation scenes', async () => {
    const config = resolveFinetuneConfig({ catalog: fx.catalog, selection: { valFraction: 0.4, subset: { kind: 'random', n: 8 } } });
    const train = await finetuneSelection(items, config, 'train');
    const val = await finetuneSelection(items, config, 'val');
    expect(train).toHaveLength(8);
    expect(val).toHaveLength(2);
    const trainScenes = new Set(train.map((p) => p.sceneKey));
    expect(val.every((p) => !trainScenes.has(p.sceneKey) && p.split === 'train')).toBe(true);
  });

  it('a subset larger than the validation scenes still validates on what they hold', async () => {
    const all = resolveFinetuneConfig({ catalog: fx.catalog, selection: { valFraction: 0.2 } });
    const valScenePatches = (await finetuneSelection(items, all, 'val')).length;
    const config = resolveFinetuneConfig({ catalog: fx.catalog, selection: { valFraction: 0.2, subset: { kind: 'random', n: 4 * valScenePatches + 4 } } });
    await expect(finetuneSelection(items, config, 'val')).resolves.toHaveLength(valScenePatches);
  });
});
