import { describe, expect, it } from 'vitest';
import {
  backendDefaults,
  CPU_BACKEND_DEFAULTS,
  finetuneConfigFor,
  NATIVE_BACKEND_DEFAULTS,
  pretrainConfigFor,
} from '../../../core/common/training/backend-defaults.js';
import { FINETUNE_DEFAULTS, resolveFinetuneConfig } from '../../../core/common/training/finetune-config.js';
import { KNN_DEFAULTS, MOCO_DEFAULTS, PRETRAIN_DEFAULTS, resolvePretrainConfig } from '../../../core/common/training/pretrain-config.js';

const catalog = '/data/catalog.sqlite';

describe('backend defaults', () => {
  it('a native backend trains at the research sizes, the others at CPU sizes', () => {
    expect(backendDefaults({ tfBackend: 'tensorflow' })).toBe(NATIVE_BACKEND_DEFAULTS);
    expect(backendDefaults({ tfBackend: 'wasm' })).toBe(CPU_BACKEND_DEFAULTS);
    expect(NATIVE_BACKEND_DEFAULTS).toEqual({ depth: PRETRAIN_DEFAULTS.depth, size: PRETRAIN_DEFAULTS.size, batchSize: PRETRAIN_DEFAULTS.batchSize, queueSize: MOCO_DEFAULTS.queueSize });
    expect(CPU_BACKEND_DEFAULTS).toEqual({ depth: 18, size: 64, batchSize: 32, queueSize: 4096 });
  });
});

describe('pretrainConfigFor: settings and a backend make the run config', () => {
  it('fills in the backend defaults, then the research defaults, as resolvePretrainConfig would', () => {
    const config = pretrainConfigFor(catalog, {}, CPU_BACKEND_DEFAULTS);
    expect(config).toEqual(resolvePretrainConfig({ catalog, depth: 18, size: 64, batchSize: 32, queueSize: 4096 }));
    expect(pretrainConfigFor(catalog, {}, NATIVE_BACKEND_DEFAULTS)).toEqual(resolvePretrainConfig({ catalog }));
  });

  it('takes every setting given, an undefined one as left out, the selection and the k-NN sizes from their fields', () => {
    const config = pretrainConfigFor(
      catalog,
      { strategy: 'augment', sensor: 's1', depth: 10, batchSize: undefined, queueSize: 16, subset: 'random-seasons:8', valFraction: 0.25, knn: { k: 3 }, seed: 9, workers: 2 },
      CPU_BACKEND_DEFAULTS,
    );
    expect(config).toMatchObject({ strategy: 'augment', sensor: 's1', depth: 10, size: 64, batchSize: 32, queueSize: 16, seed: 9, workers: 2 });
    expect(config.selection).toEqual({ split: 'train', seed: 9, valFraction: 0.25, subset: { kind: 'random', n: 8, stratifyBySeason: true } });
    expect(config.knn).toEqual({ ...KNN_DEFAULTS, k: 3 });
    expect(pretrainConfigFor(catalog, { knn: null }, CPU_BACKEND_DEFAULTS).knn).toBeNull();
  });

  it('ignores fields that are not settings: how a job starts is not part of its run', () => {
    const withCall = { depth: 10 as const, maxSteps: 3, backend: 'wasm' as const };
    expect(pretrainConfigFor(catalog, withCall, CPU_BACKEND_DEFAULTS)).toEqual(pretrainConfigFor(catalog, { depth: 10 }, CPU_BACKEND_DEFAULTS));
  });

  it('names the setting at fault, under the name it was given', () => {
    const problem = (settings: Parameters<typeof pretrainConfigFor>[1]) => () => pretrainConfigFor(catalog, settings, CPU_BACKEND_DEFAULTS);
    expect(problem({ subset: 'random:x' })).toThrow(/^invalid pretrain settings: subset: expected all, random:N/);
    expect(problem({ valFraction: 2 })).toThrow(/^invalid pretrain settings: valFraction: must be <= 1/);
    expect(problem({ strategy: 'all-fusion', inputBlocks: true })).toThrow(/^invalid pretrain settings: inputBlocks: all-fusion feeds the 12-channel/);
  });
});

describe('finetuneConfigFor: settings and a backend make the run config', () => {
  it('fills in the backend depth and size and the research defaults; the batch is the research 64 everywhere', () => {
    const config = finetuneConfigFor(catalog, {}, CPU_BACKEND_DEFAULTS);
    expect(config).toEqual(resolveFinetuneConfig({ catalog, depth: 18, size: 64 }));
    expect(config.batchSize).toBe(FINETUNE_DEFAULTS.batchSize);
    expect(finetuneConfigFor(catalog, {}, NATIVE_BACKEND_DEFAULTS)).toEqual(resolveFinetuneConfig({ catalog }));
  });

  it('takes the pretrained checkpoint, the subset and the validation fraction from their fields', () => {
    const config = finetuneConfigFor(
      catalog,
      { variant: 'moco', pretrained: '/runs/p', checkpoint: 'step-4', subset: 'list:/l.txt', valFraction: 0.3, input: 's1' },
      CPU_BACKEND_DEFAULTS,
    );
    expect(config).toMatchObject({ variant: 'moco', pretrained: '/runs/p', pretrainedCheckpoint: 'step-4', input: 's1' });
    expect(config.selection).toEqual({ valFraction: 0.3, subset: { kind: 'list', file: '/l.txt', valFraction: 0.2 } });
  });

  it('names the setting at fault, under the name it was given', () => {
    expect(() => finetuneConfigFor(catalog, { checkpoint: 'best' }, CPU_BACKEND_DEFAULTS)).toThrow(/^invalid finetune settings: checkpoint: names a checkpoint/);
    expect(() => finetuneConfigFor(catalog, { variant: 'moco-1x1' }, CPU_BACKEND_DEFAULTS)).toThrow(/pretrained: variant "moco-1x1" starts from a MoCo pretrain/);
  });
});
