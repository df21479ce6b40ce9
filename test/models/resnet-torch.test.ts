import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

import { EVAL, TRAIN } from '../../core/models/batch-norm.js';
import { createResNet, resnetParamSpecs, type ResNet } from '../../core/models/resnet.js';
import { RESNET_DEPTHS } from '../../core/common/training/model-options.js';
import { disposeAll, maxAbs, maxAbsDiff, perturbBatchNorms, randomInput } from './fixtures.js';
import { torchAvailable, torchForward, torchStateShapes, type TorchResult } from './ref/torch.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.skipIf(!torchAvailable)('ResNet names and shapes equal torchvision state_dict (skipped where /usr/bin/python3 lacks torch/torchvision)', () => {
  it('for every depth, conv1 widened to 5 channels', () => {
    const theirs = torchStateShapes(5, RESNET_DEPTHS);
    for (const depth of RESNET_DEPTHS) {
      const ours = Object.fromEntries(
        resnetParamSpecs({ depth, inChannels: 5 }).map((s) => {
          const [h, w, i, o] = s.shape;
          return [s.name, s.shape.length === 4 ? [o, i, h, w] : s.shape];
        }),
      );
      expect(Object.keys(ours), `ResNet-${depth} names`).toEqual(Object.keys(theirs[depth]));
      expect(ours, `ResNet-${depth} shapes`).toEqual(theirs[depth]);
    }
  });
});

describe.skipIf(!torchAvailable)('ResNet forward agrees with torchvision (skipped where /usr/bin/python3 lacks torch/torchvision)', () => {
  // 33 px is odd at every stage, so padding placed differently from PyTorch's would show.
  const cases = [
    { label: 'ResNet-18, 5 channels, eval', depth: 18, inChannels: 5, batch: 2, training: false },
    { label: 'ResNet-50, 3 channels, eval', depth: 50, inChannels: 3, batch: 1, training: false },
    { label: 'ResNet-18, 5 channels, training mode', depth: 18, inChannels: 5, batch: 4, training: true },
  ] as const;
  let nets: ResNet[] = [];
  let inputs: tf.Tensor4D[] = [];
  let theirs: TorchResult[] = [];

  beforeAll(() => {
    nets = cases.map((c, i) => createResNet({ depth: c.depth, inChannels: c.inChannels, seed: 10 + i }));
    nets.forEach((net, i) => perturbBatchNorms(net.params, 20 + i));
    inputs = cases.map((c, i) => randomInput([c.batch, 33, 33, c.inChannels], 30 + i));
    theirs = torchForward(cases.map((c, i) => ({ depth: c.depth, params: nets[i].params, x: inputs[i], training: c.training })));
    return () => {
      tf.dispose(inputs);
      disposeAll(...nets.map((n) => n.params));
    };
  }, 300_000);

  it.each(cases.map((c, i) => [c.label, i] as const))('%s: pooled features within 1e-4 (relative to their size)', (_, i) => {
    const ours = tf.tidy(() => nets[i].forward(inputs[i], cases[i].training ? TRAIN : EVAL));
    // Untrained running statistics let ResNet-50's eval features grow to ~1e2, where float32 itself is only good to ~1e-5.
    const scale = Math.max(1, maxAbs(theirs[i].features));
    expect(maxAbsDiff(ours.dataSync(), theirs[i].features) / scale).toBeLessThan(1e-4);
    ours.dispose();
  });

  it('training mode moves every running statistic as torch does (momentum 0.1, unbiased variance)', () => {
    const i = cases.findIndex((c) => c.training);
    // The features test above ran the one training step on nets[i]; torch ran it on the same start values.
    const names = Object.keys(theirs[i].buffers);
    expect(names.length).toBe(2 * 20);
    for (const name of names) {
      expect(maxAbsDiff(nets[i].params.get(name)!.dataSync(), theirs[i].buffers[name]), name).toBeLessThan(1e-5);
    }
  });
});
