import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { EVAL, TRAIN } from '../../core/models/batch-norm.js';
import { cloneParams, countParams, isBuffer, type ParamStore } from '../../core/models/params.js';
import { bindResNet, createResNet, RESNET_STAGES, resnetParamSpecs, resnetStageOf, type ResNetStage } from '../../core/models/resnet.js';
import { type ResNetDepth } from '../../core/common/training/model-options.js';
import { disposeAll, maxAbsDiff, perturbBatchNorms, randomInput } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ResNet layout', () => {
  it('has as many parameters as torchvision (ResNet-18 without fc: 11,689,512 - 513,000)', () => {
    const net = createResNet({ depth: 18, inChannels: 3, seed: 1 });
    expect(countParams(net.params)).toBe(11_176_512);
    expect(net.featureDim).toBe(512);
    disposeAll(net.params);
  });

  it('ResNet-50 without fc has 23,508,032 parameters and 2048 features', () => {
    const specs = resnetParamSpecs({ depth: 50, inChannels: 3 });
    const total = specs.filter((s) => !isBuffer(s.name)).reduce((n, s) => n + s.shape.reduce((a, b) => a * b), 0);
    expect(total).toBe(23_508_032);
    expect(specs.find((s) => s.name === 'layer4.2.bn3.weight')?.shape).toEqual([2048]);
  });

  it('widens only conv1 for other input channel counts', () => {
    const three = resnetParamSpecs({ depth: 18, inChannels: 3 });
    const twelve = resnetParamSpecs({ depth: 18, inChannels: 12 });
    expect(twelve.map((s) => s.name)).toEqual(three.map((s) => s.name));
    expect(twelve[0]).toMatchObject({ name: 'conv1.weight', shape: [7, 7, 12, 64] });
    expect(twelve.slice(1)).toEqual(three.slice(1));
  });

  it('places every backbone entry in its stage, and nothing else', () => {
    const stages = new Set(resnetParamSpecs({ depth: 50, inChannels: 3 }).map((s) => resnetStageOf(s.name)));
    expect([...stages]).toEqual([...RESNET_STAGES]);
    expect(resnetStageOf('bn1.running_var')).toBe('stem');
    expect(resnetStageOf('layer3.0.downsample.1.running_mean')).toBe('layer3');
    for (const name of ['fc.weight', 'input.s2.bn.weight', 'head.0.weight']) expect(resnetStageOf(name)).toBeNull();
  });

  it('rejects unknown depths and bad channel counts', () => {
    expect(() => resnetParamSpecs({ depth: 20 as ResNetDepth, inChannels: 3 })).toThrow(/depth must be one of 10, 18, 34, 50/);
    expect(() => resnetParamSpecs({ depth: 18, inChannels: 0 })).toThrow(/inChannels/);
  });
});

describe('ResNet initialisation', () => {
  it('is deterministic in the seed and differs between seeds', () => {
    const a = createResNet({ depth: 10, inChannels: 2, seed: 7 });
    const b = createResNet({ depth: 10, inChannels: 2, seed: 7 });
    const c = createResNet({ depth: 10, inChannels: 2, seed: 8 });
    for (const name of ['conv1.weight', 'layer3.0.downsample.0.weight']) {
      const va = a.params.get(name)!.dataSync();
      expect(b.params.get(name)!.dataSync()).toEqual(va);
      expect(maxAbsDiff(c.params.get(name)!.dataSync(), va)).toBeGreaterThan(0);
    }
    for (const net of [a, b, c]) disposeAll(net.params);
  });

  it('draws convs from kaiming normal (fan_out, relu) and sets BatchNorm to identity', () => {
    const net = createResNet({ depth: 10, inChannels: 3, seed: 3 });
    // layer4.0.conv2: 3x3, 512 -> 512, fan_out = 512 * 9.
    const w = net.params.get('layer4.0.conv2.weight')!;
    const { mean, variance } = tf.moments(w);
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(1e-3);
    expect(Math.sqrt(variance.dataSync()[0])).toBeCloseTo(Math.sqrt(2 / (512 * 9)), 4);
    expect(new Set(net.params.get('layer2.0.bn1.weight')!.dataSync())).toEqual(new Set([1]));
    expect(new Set(net.params.get('layer2.0.bn1.bias')!.dataSync())).toEqual(new Set([0]));
    expect(new Set(net.params.get('layer2.0.bn1.running_mean')!.dataSync())).toEqual(new Set([0]));
    expect(new Set(net.params.get('layer2.0.bn1.running_var')!.dataSync())).toEqual(new Set([1]));
    expect(net.params.get('layer2.0.bn1.running_var')!.trainable).toBe(false);
    expect(net.params.get('layer2.0.bn1.weight')!.trainable).toBe(true);
    tf.dispose([mean, variance, ...net.params.values()]);
  });
});

describe('ResNet forward', () => {
  it('pools features per image and refuses the wrong channel count', () => {
    const net = createResNet({ depth: 10, inChannels: 4, seed: 1 });
    const x = randomInput([2, 33, 33, 4], 1);
    const y = tf.tidy(() => net.forward(x, EVAL));
    expect(y.shape).toEqual([2, 512]);
    // Each image's features depend on that image alone in eval mode.
    const first = tf.tidy(() => net.forward(tf.slice(x, [0, 0, 0, 0], [1, 33, 33, 4]), EVAL));
    expect(maxAbsDiff(first.dataSync(), y.dataSync().subarray(0, 512))).toBeLessThan(1e-5);
    expect(() => net.forward(randomInput([1, 33, 33, 3], 2), EVAL)).toThrow(/4 channels, got shape \[1,33,33,3\]/);
    tf.dispose([x, y, first, ...net.params.values()]);
  });

  it('leaves no tensors behind over repeated training-mode steps', () => {
    const net = createResNet({ depth: 10, inChannels: 2, seed: 1 });
    const x = randomInput([2, 16, 16, 2], 1);
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      tf.dispose(tf.tidy(() => net.forward(x, TRAIN)));
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts).size).toBe(1);
    tf.dispose([x, ...net.params.values()]);
  });
});

describe('ResNet forward with per-stage BatchNorm modes', () => {
  const frozenThroughLayer2 = (stage: ResNetStage) => (RESNET_STAGES.indexOf(stage) <= 2 ? EVAL : TRAIN);
  const buffersOf = (store: ParamStore, stage: ResNetStage) => [...store].filter(([name]) => isBuffer(name) && resnetStageOf(name) === stage);

  it('gives the same outputs and statistics for one mode as a function as for the mode itself', () => {
    const a = createResNet({ depth: 10, inChannels: 2, seed: 4 });
    const b = createResNet({ depth: 10, inChannels: 2, seed: 4 });
    const x = randomInput([2, 16, 16, 2], 5);
    const ya = tf.tidy(() => a.forward(x, TRAIN));
    const yb = tf.tidy(() => b.forward(x, () => TRAIN));
    expect(maxAbsDiff(yb.dataSync(), ya.dataSync())).toBe(0);
    for (const [name, v] of a.params) if (isBuffer(name)) expect(maxAbsDiff(b.params.get(name)!.dataSync(), v.dataSync()), name).toBe(0);
    tf.dispose([x, ya, yb]);
    disposeAll(a.params, b.params);
  });

  it('keeps the running statistics of eval-mode stages and moves those of training stages', () => {
    const net = createResNet({ depth: 10, inChannels: 2, seed: 4 });
    perturbBatchNorms(net.params, 6);
    const before = cloneParams(net.params);
    const x = randomInput([2, 16, 16, 2], 5);
    tf.dispose(tf.tidy(() => net.forward(x, frozenThroughLayer2)));
    for (const stage of RESNET_STAGES) {
      const kept = buffersOf(net.params, stage).map(([name, v]) => maxAbsDiff(v.dataSync(), before.get(name)!.dataSync()) === 0);
      expect(kept.length).toBeGreaterThan(0);
      expect(new Set(kept), stage).toEqual(new Set([frozenThroughLayer2(stage) === EVAL]));
    }
    x.dispose();
    disposeAll(net.params, before);
  });

  it('normalises eval-mode stages with the running statistics and training stages with the batch', () => {
    const net = createResNet({ depth: 10, inChannels: 2, seed: 4 });
    perturbBatchNorms(net.params, 6);
    const x = randomInput([2, 16, 16, 2], 5);
    const noStats = (stage: ResNetStage) => ({ ...frozenThroughLayer2(stage), updateStats: false });
    const y = tf.tidy(() => net.forward(x, noStats));
    for (const stage of RESNET_STAGES) {
      // Shifting a stage's running means changes the output exactly when that stage reads them.
      const shifted = cloneParams(net.params);
      for (const [name, v] of buffersOf(shifted, stage)) if (name.endsWith('.running_mean')) v.assign(tf.tidy(() => tf.add(v, 0.5)));
      const ys = tf.tidy(() => bindResNet(net, shifted).forward(x, noStats));
      expect(maxAbsDiff(ys.dataSync(), y.dataSync()) > 1e-3, stage).toBe(frozenThroughLayer2(stage) === EVAL);
      ys.dispose();
      disposeAll(shifted);
    }
    tf.dispose([x, y]);
    disposeAll(net.params);
  });
});
