import { describe, expect, it } from 'vitest';
import { bandPreset } from '../../core/common/dataset/bands.js';
import { cardInput } from '../../core/formats/card-normalization.js';
import { preprocessingSteps, type PreprocessingSource } from '../../core/formats/preprocessing.js';

const S2_10 = ['B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B11', 'B12'];

function source(over: Partial<PreprocessingSource>): PreprocessingSource {
  return {
    architecture: 'resnet10',
    ...cardInput(bandPreset('s2-10')),
    inputBlock: 'input.s2',
    task: 'features',
    threshold: null,
    training: { kind: 'pretrain', bestRule: 'k-NN', config: { size: 64 } },
    ...over,
  };
}

describe('preprocessingSteps', () => {
  it('lists an S2 features model: GDAL band numbers, z-score, area resize, input block, torchvision backbone', () => {
    const steps = preprocessingSteps(source({}));
    expect(steps.map((s) => s.op)).toEqual(['select_bands', 'fill_nan', 'normalize', 'resize', 'concat', 'conv1x1', 'batch_norm', 'relu', 'backbone']);
    expect(steps[0]).toEqual({
      op: 'select_bands',
      sensor: 's2',
      bands: [2, 3, 4, 5, 6, 7, 8, 9, 12, 13],
      names: S2_10,
      fileBands: 13,
      dtype: 'uint16',
      units: 'reflectance x 10000',
    });
    expect(steps[2]).toMatchObject({ op: 'normalize', sensor: 's2', mean: expect.arrayContaining([1226.4215]) });
    expect(steps[3]).toEqual({ op: 'resize', from: 256, size: 64, method: 'area' });
    expect(steps[4]).toEqual({ op: 'concat', order: ['s2'] });
    expect(steps.slice(5)).toEqual([
      { op: 'conv1x1', file: 'input-block.safetensors', weight: 'input.s2.conv.weight', bias: false },
      {
        op: 'batch_norm',
        file: 'input-block.safetensors',
        weight: 'input.s2.bn.weight',
        bias: 'input.s2.bn.bias',
        running_mean: 'input.s2.bn.running_mean',
        running_var: 'input.s2.bn.running_var',
        eps: 1e-5,
      },
      { op: 'relu' },
      { op: 'backbone', architecture: 'resnet10', torchvision: 'ResNet(BasicBlock, [1, 1, 1, 1])', file: 'model.safetensors', inChannels: 3, output: 'features' },
    ]);
  });

  it('lists a fusion classifier: S1 NaN fill and clip, S2 before S1, bilinear resize where the side does not divide 256, the activation', () => {
    const fusion = source({
      architecture: 'resnet50',
      ...cardInput(bandPreset('fusion-12')),
      inputBlock: null,
      task: 'single-label',
      training: { kind: 'finetune', bestRule: 'F1', config: { size: 100 } },
    });
    const steps = preprocessingSteps(fusion);
    expect(steps.map((s) => `${s.op}${'sensor' in s ? `:${s.sensor}` : ''}`)).toEqual([
      'select_bands:s2', 'fill_nan:s2', 'normalize:s2', 'select_bands:s1', 'fill_nan:s1', 'clip:s1', 'normalize:s1',
      'resize', 'concat', 'backbone', 'softmax', 'argmax',
    ]);
    expect(steps[3]).toMatchObject({ bands: [1, 2], names: ['VV', 'VH'], fileBands: 2, dtype: 'float32' });
    expect(steps[4]).toEqual({ op: 'fill_nan', sensor: 's1', value: [-25, -25] });
    expect(steps[5]).toEqual({ op: 'clip', sensor: 's1', min: [-25, -25], max: [0, 0] });
    expect(steps[7]).toEqual({ op: 'resize', from: 256, size: 100, method: 'bilinear' });
    expect(steps[8]).toEqual({ op: 'concat', order: ['s2', 's1'], missing: 'zeros' });
    expect(steps[9]).toMatchObject({ torchvision: 'ResNet(Bottleneck, [3, 4, 6, 3])', inChannels: 12, output: 'logits' });
    expect(steps.slice(10)).toEqual([{ op: 'softmax', axis: 1 }, { op: 'argmax', axis: 1 }]);
    const multi = preprocessingSteps({ ...fusion, task: 'multi-label', threshold: 0.5 });
    expect(multi.slice(-2)).toEqual([{ op: 'sigmoid' }, { op: 'threshold', value: 0.5 }]);
  });

  it('takes full 256 px patches when the config names no size, and refuses a size it cannot resize to', () => {
    expect(preprocessingSteps(source({ training: { kind: 'pretrain', bestRule: 'k', config: {} } }))[3]).toEqual({ op: 'resize', from: 256, size: 256, method: 'area' });
    expect(() => preprocessingSteps(source({ training: { kind: 'pretrain', bestRule: 'k', config: { size: 512 } } }))).toThrow(/training\.config\.size: .* 1\.\.256, got 512/);
    expect(() => preprocessingSteps(source({ bands: ['VV', ...S2_10.slice(1)] }))).toThrow(/not grouped by sensor in the order s2, s1/);
  });
});
