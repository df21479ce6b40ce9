import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerTrainingGradients } from '../../core/backend/training-gradients.js';
import { EVAL } from '../../core/models/batch-norm.js';
import { Encoder, encoderParamSpecs, type EncoderConfig } from '../../core/models/encoder.js';
import type { BlockSensor } from '../../core/common/training/model-options.js';
import { countParams, isBuffer } from '../../core/models/params.js';
import { maxAbsDiff, randomInput } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerTrainingGradients();
});

describe('encoder config', () => {
  it.each([
    [{ depth: 10 }, /give inputBlocks or inChannels/],
    [{ depth: 10, inputBlocks: ['s2'], inChannels: 12 }, /not both/],
    [{ depth: 10, inputBlocks: ['s3' as BlockSensor] }, /unknown input block sensor "s3"/],
    [{ depth: 10, inputBlocks: ['s2', 's2'] }, /repeated input block/],
    [{ depth: 11 as 10, inChannels: 3 }, /depth must be one of/],
  ] as [EncoderConfig, RegExp][])('rejects %j', (config, message) => {
    expect(() => encoderParamSpecs(config)).toThrow(message);
  });

  it('feeds raw channels to conv1 when there are no blocks (S2+S1 fusion: 12)', () => {
    const specs = encoderParamSpecs({ depth: 50, inChannels: 12, head: { kind: 'classifier', numClasses: 10 } });
    expect(specs[0]).toMatchObject({ name: 'conv1.weight', shape: [7, 7, 12, 64] });
    expect(specs.at(-2)).toMatchObject({ name: 'fc.weight', shape: [2048, 10] });
  });
});

describe('MoCo-style encoder: s1 and s2 blocks, ResNet-10, projection head', () => {
  const config: EncoderConfig = { depth: 10, inputBlocks: ['s1', 's2'], head: { kind: 'projection', dim: 128 } };
  let encoder: Encoder;
  const s1 = randomInput([2, 16, 16, 2], 1);
  const s2 = randomInput([2, 16, 16, 10], 2);

  beforeAll(() => {
    encoder = Encoder.create(config, 5);
  });
  afterAll(() => {
    encoder.dispose();
    tf.dispose([s1, s2]);
  });

  it('holds blocks, backbone and head in one store, in that order', () => {
    const names = [...encoder.params.keys()];
    expect(names[0]).toBe('input.s1.conv.weight');
    expect(names.indexOf('input.s2.conv.weight')).toBeLessThan(names.indexOf('conv1.weight'));
    expect(encoder.params.get('conv1.weight')!.shape).toEqual([7, 7, 3, 64]);
    expect(names.slice(-4)).toEqual(['head.0.weight', 'head.0.bias', 'head.2.weight', 'head.2.bias']);
    expect(encoder.params.get('head.0.weight')!.shape).toEqual([512, 512]);
    expect(encoder.featureDim).toBe(512);
    expect(encoder.outputDim).toBe(128);
  });

  it('trains every weight and bias but no BatchNorm buffer', () => {
    expect(encoder.trainableNames()).toEqual(encoder.parameterNames());
    expect(encoder.trainableNames().some(isBuffer)).toBe(false);
    expect(encoder.trainableNames().length + [...encoder.params.keys()].filter(isBuffer).length).toBe(encoder.params.size);
    // ResNet-10 = ResNet-18 less the second block of each stage (two 3x3 convs and two BNs each).
    const resnet10 = 11_176_512 - [64, 128, 256, 512].reduce((n, c) => n + 2 * (9 * c * c + 2 * c), 0);
    const blocks = 2 * 3 + 6 + (10 * 3 + 6);
    const head = 512 * 512 + 512 + 512 * 128 + 128;
    expect(countParams(encoder.params)).toBe(resnet10 + blocks + head);
  });

  it('embeds a batch of either sensor into 128 dimensions and insists on the sensor', () => {
    const q1 = tf.tidy(() => encoder.forward(s1, { sensor: 's1', training: false }));
    const q2 = tf.tidy(() => encoder.forward(s2, { sensor: 's2', training: false }));
    expect(q1.shape).toEqual([2, 128]);
    expect(q2.shape).toEqual([2, 128]);
    expect(() => encoder.forward(s2, { training: false })).toThrow(/needs a sensor \(s1, s2\)/);
    expect(() => encoder.forward(s2, { sensor: 's1', training: false })).toThrow(/input block s1 expects .*2 bands/);
    tf.dispose([q1, q2]);
  });

  it('runs a mixed-sensor batch through one backbone pass', () => {
    const separate = tf.tidy(() =>
      tf.concat([encoder.forward(s1, { sensor: 's1', training: false }), encoder.forward(s2, { sensor: 's2', training: false })]),
    );
    const mixed = tf.tidy(() =>
      encoder.forwardBackbone(tf.concat([encoder.forwardInput(s1, 's1', EVAL), encoder.forwardInput(s2, 's2', EVAL)]), EVAL),
    );
    expect(maxAbsDiff(mixed.dataSync(), separate.dataSync())).toBeLessThan(1e-5);
    tf.dispose([separate, mixed]);
  });

  it('clones into an independent copy with the same outputs', () => {
    const copy = encoder.clone();
    const a = tf.tidy(() => encoder.forward(s2, { sensor: 's2', training: false }));
    const b = tf.tidy(() => copy.forward(s2, { sensor: 's2', training: false }));
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    copy.params.get('conv1.weight')!.assign(tf.zerosLike(copy.params.get('conv1.weight')!));
    const after = tf.tidy(() => encoder.forward(s2, { sensor: 's2', training: false }));
    expect(maxAbsDiff(after.dataSync(), a.dataSync())).toBe(0);
    copy.dispose();
    tf.dispose([a, b, after]);
  });

  it('keeps tf.memory() flat over a MoCo-like step: query SGD, key momentum copy, both in training mode', () => {
    const key = encoder.clone();
    const trainable = encoder.trainableNames().map((n) => encoder.params.get(n)!);
    const followed = encoder.parameterNames();
    const before = {
      weight: encoder.params.get('layer1.0.conv1.weight')!.dataSync().slice(),
      keyStats: key.params.get('layer1.0.bn1.running_mean')!.dataSync().slice(),
    };
    // Training costs seconds a step on the cpu backend (Conv2DBackpropFilter), so count around one step:
    // nothing a step makes may outlive it.
    const tensorsBefore = tf.memory().numTensors;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const q = encoder.forward(s2, { sensor: 's2', training: true });
        const k = key.forward(s1, { sensor: 's1', training: true });
        return tf.mean(tf.sum(tf.mul(q, k), 1)) as tf.Scalar;
      }, trainable);
      // The s1 block takes no part in an s2 query: its gradient is null and it stays put.
      for (const v of trainable) if (grads[v.name]) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01)));
      for (const name of followed) {
        const k = key.params.get(name)!;
        k.assign(tf.add(tf.mul(k, 0.99), tf.mul(encoder.params.get(name)!, 0.01)));
      }
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(maxAbsDiff(encoder.params.get('layer1.0.conv1.weight')!.dataSync(), before.weight)).toBeGreaterThan(0);
    expect(maxAbsDiff(key.params.get('layer1.0.bn1.running_mean')!.dataSync(), before.keyStats)).toBeGreaterThan(0);
    key.dispose();
  });
});

describe('finetuning encoder: frozen s2 block, classifier', () => {
  const config: EncoderConfig = {
    depth: 10,
    inputBlocks: ['s2'],
    head: { kind: 'classifier', numClasses: 10 },
    freezeInputBlocks: true,
  };

  it('trains neither the frozen block nor buffers, keeps that in clones, and loads only complete stores', () => {
    const encoder = Encoder.create(config, 1);
    const frozen = ['input.s2.conv.weight', 'input.s2.bn.weight', 'input.s2.bn.bias'];
    expect(encoder.parameterNames().slice(0, 3)).toEqual(frozen);
    expect(encoder.trainableNames()).toEqual(encoder.parameterNames().slice(3));
    expect(encoder.trainableNames().at(-1)).toBe('fc.bias');
    const copy = encoder.clone();
    expect(copy.trainableNames()).toEqual(encoder.trainableNames());

    const x = randomInput([2, 16, 16, 10], 3);
    const logits = tf.tidy(() => copy.forward(x, { sensor: 's2', training: false }));
    expect(logits.shape).toEqual([2, 10]);

    copy.params.get('fc.bias')!.dispose();
    copy.params.delete('fc.bias');
    expect(() => Encoder.fromParams(config, copy.params)).toThrow(/missing parameter fc\.bias/);
    expect(() => Encoder.fromParams({ ...config, head: { kind: 'classifier', numClasses: 17 } }, encoder.params)).toThrow(
      /fc\.weight has shape \[512,10\], expected \[512,17\]/,
    );
    tf.dispose([x, logits]);
    encoder.dispose();
    copy.dispose();
  });

  it('takes raw channels without blocks and then refuses a sensor', () => {
    const encoder = Encoder.create({ depth: 10, inChannels: 12 }, 2);
    const x = randomInput([1, 16, 16, 12], 4);
    const features = tf.tidy(() => encoder.forward(x, { training: false }));
    expect(features.shape).toEqual([1, 512]);
    expect(() => encoder.forward(x, { sensor: 's2', training: false })).toThrow(/no input block for s2 \(blocks: none\)/);
    tf.dispose([x, features]);
    encoder.dispose();
  });
});

describe('encoder lifecycle', () => {
  it('creating, cloning and disposing an encoder leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const enc = Encoder.create({ depth: 10, inputBlocks: ['s1', 's2'], head: { kind: 'projection', dim: 8 } }, 1);
    expect(tf.memory().numTensors).toBe(before + enc.params.size);
    const copy = enc.clone();
    copy.dispose();
    enc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
