import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTensors } from '../../core/formats/host-tensor.js';
import { Encoder, type EncoderConfig } from '../../core/models/encoder.js';
import { encoderFromWeights } from '../../core/weights/encoder-weights.js';

const config: EncoderConfig = { depth: 10, inputBlocks: ['s2'], head: { kind: 'classifier', numClasses: 10 } };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('encoderFromWeights', () => {
  it('builds an encoder holding exactly the stored values, buffers non-trainable', async () => {
    const source = Encoder.create(config, 3);
    const values = await readTensors(source.params);
    const built = encoderFromWeights(config, values, 'weights.safetensors');
    for (const [name, v] of source.params) expect(Array.from(built.params.get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
    expect(built.params.get('bn1.running_mean')!.trainable).toBe(false);
    expect(built.params.get('conv1.weight')!.trainable).toBe(true);
    source.dispose();
    built.dispose();
  });

  it('refuses weights that do not fit, naming the file, and leaves no tensor behind', async () => {
    const source = Encoder.create(config, 3);
    const values = await readTensors(source.params);
    source.dispose();
    values.delete('fc.bias');
    const before = tf.memory().numTensors;
    expect(() => encoderFromWeights(config, values, 'weights.safetensors')).toThrow(/weights\.safetensors: .*missing fc\.bias/);
    expect(() => encoderFromWeights({ ...config, head: undefined }, values, 'w')).toThrow(/unexpected fc\.weight/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
