import { describe, expect, it } from 'vitest';
import { FINETUNE_DEFAULTS, finetuneVariantFor, resolveFinetuneConfig } from '../../../core/common/training/finetune-config.js';
import { resolvePretrainConfig } from '../../../core/common/training/pretrain-config.js';
import { isFrozen } from '../../../core/training/freeze.js';

describe('finetune config', () => {
  it('fills in the research defaults', () => {
    const config = resolveFinetuneConfig({ catalog: 'c.db' });
    expect(config).toMatchObject({ catalog: 'c.db', lr: 1e-3, weightDecay: 1e-5, batchSize: 64, lrStepEpochs: 30, lrGamma: 0.1, scheme: 'multi' });
    expect(config.freeze).toBe(FINETUNE_DEFAULTS.freeze);
  });

  it.each([
    [{ input: 's3' }, /input: must be one of "s1", "s2", "s1s2"/],
    [{ classes: 12 }, /classes/],
    [{ freeze: 'stage-5' }, /freeze: must be one of/],
    [{ depth: 20 }, /depth/],
    [{ lr: 0 }, /lr: must be > 0/],
    [{ batchSize: 1 }, /batchSize: must be >= 2/],
    [{ size: 512 }, /size: must be <= 256/],
    [{ epochs: 1.5 }, /epochs: must be an integer/],
    [{ selection: { valFraction: 2 } }, /selection.valFraction: must be <= 1/],
    [{ learningRate: 1 }, /learningRate/],
    [{ variant: 'moco' }, /pretrained: variant "moco" starts from a MoCo pretrain/],
    [{ variant: 'supervised', pretrained: '/x' }, /pretrained: variant "supervised" starts from random weights/],
  ])('refuses %j naming the field', (bad, message) => {
    expect(() => resolveFinetuneConfig({ catalog: 'c.db', ...(bad as object) })).toThrow(message);
  });

  it('accepts a moco variant with pretrained weights', () => {
    expect(resolveFinetuneConfig({ catalog: 'c.db', variant: 'moco-1x1', pretrained: '/runs/p' }).pretrained).toBe('/runs/p');
  });
});

describe('the variant for a start point', () => {
  it('supervised from random weights; moco-1x1 from a pretrain with per-sensor blocks, moco from one without', () => {
    expect(finetuneVariantFor(null)).toBe('supervised');
    expect(finetuneVariantFor({})).toBe('moco-1x1');
    expect(finetuneVariantFor({ strategy: 'sensor-pairs+augment' })).toBe('moco-1x1');
    expect(finetuneVariantFor({ strategy: 'augment', sensor: 's1' })).toBe('moco-1x1');
    expect(finetuneVariantFor({ strategy: 'augment', sensor: 'fusion' })).toBe('moco');
    expect(finetuneVariantFor({ strategy: 'partial-fusion' })).toBe('moco');
    expect(finetuneVariantFor({ strategy: 'sensor-pairs', inputBlocks: false })).toBe('moco');
  });

  it('agrees with what the pretrain config records, whether asked of its settings or of the config', () => {
    for (const settings of [{}, { strategy: 'augment', sensor: 'fusion' }, { strategy: 'all-fusion' }, { inputBlocks: false }] as const) {
      const config = resolvePretrainConfig({ catalog: 'c.db', ...settings });
      expect(finetuneVariantFor(config)).toBe(config.inputBlocks ? 'moco-1x1' : 'moco');
      expect(finetuneVariantFor(settings)).toBe(finetuneVariantFor(config));
    }
  });
});

describe('freeze modes', () => {
  it('linear freezes all but fc; stage-K the blocks, the stem and layer1..K', () => {
    expect(isFrozen('layer4.0.conv1.weight', 'linear')).toBe(true);
    expect(isFrozen('fc.weight', 'linear')).toBe(false);
    for (const name of ['input.s2.conv.weight', 'conv1.weight', 'bn1.bias', 'layer2.0.bn1.weight']) expect(isFrozen(name, 'stage-2')).toBe(true);
    for (const name of ['layer3.0.conv1.weight', 'fc.bias']) expect(isFrozen(name, 'stage-2')).toBe(false);
    expect(isFrozen('conv1.weight', 'none')).toBe(false);
  });
});
