/**
 * Train-step throughput of the wasm backend with the kernels of core/backend/wasm-kernels, on a
 * small conv net and a ResNet-18-like stack at 64x64x12, and where the time goes.
 *
 *   node dist/bench/train-kernels.js [--model small|resnet18] [--batch 32] [--steps 5]
 *        [--profile] [--stock-backprop-input] [--stock-bn-grad]
 *
 * --stock-* put tfjs' own Conv2DBackpropInput kernel / FusedBatchNorm gradient back, to measure
 * what each replacement buys.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { parseCommandLine, intOption } from '../core/cli/args.js';
import { initBackend } from '../core/backend/select.js';

type Params = Map<string, tf.Variable>;

function convBnRelu(params: Params, name: string, x: tf.Tensor4D, k: number, out: number, stride: number, relu = true): tf.Tensor4D {
  const inC = x.shape[3];
  const w = param(params, `${name}/w`, () => tf.randomNormal([k, k, inC, out], 0, Math.sqrt(2 / (k * k * inC)), 'float32', params.size));
  const gamma = param(params, `${name}/gamma`, () => tf.ones([out]));
  const beta = param(params, `${name}/beta`, () => tf.zeros([out]));
  const y = tf.conv2d(x, w as tf.Tensor4D, stride, 'same');
  const { mean, variance } = tf.moments(y, [0, 1, 2]);
  const bn = tf.batchNorm(y, mean, variance, beta, gamma, 1e-5);
  return (relu ? tf.relu(bn) : bn) as tf.Tensor4D;
}

function param(params: Params, name: string, init: () => tf.Tensor): tf.Variable {
  let v = params.get(name);
  if (!v) {
    v = tf.variable(init(), true, name);
    params.set(name, v);
  }
  return v;
}

function basicBlock(params: Params, name: string, x: tf.Tensor4D, out: number, stride: number): tf.Tensor4D {
  const a = convBnRelu(params, `${name}/a`, x, 3, out, stride);
  const b = convBnRelu(params, `${name}/b`, a, 3, out, 1, false);
  const shortcut = stride !== 1 || x.shape[3] !== out ? convBnRelu(params, `${name}/down`, x, 1, out, stride, false) : x;
  return tf.relu(tf.add(b, shortcut)) as tf.Tensor4D;
}

const MODELS: Record<string, (params: Params, x: tf.Tensor4D) => tf.Tensor4D> = {
  small: (p, x) => {
    let h = convBnRelu(p, 'c1', x, 3, 32, 1);
    h = convBnRelu(p, 'c2', h, 3, 64, 2);
    h = convBnRelu(p, 'c3', h, 3, 128, 2);
    return basicBlock(p, 'b1', h, 128, 1);
  },
  resnet18: (p, x) => {
    let h = convBnRelu(p, 'stem', x, 7, 64, 2);
    h = tf.maxPool(h, 3, 2, 'same');
    [64, 128, 256, 512].forEach((width, stage) => {
      h = basicBlock(p, `s${stage}/0`, h, width, stage === 0 ? 1 : 2);
      h = basicBlock(p, `s${stage}/1`, h, width, 1);
    });
    return h;
  },
};

function lossOf(params: Params, model: (p: Params, x: tf.Tensor4D) => tf.Tensor4D, x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const features = tf.mean(model(params, x), [1, 2]) as tf.Tensor2D;
  const w = param(params, 'fc/w', () => tf.randomNormal([features.shape[1], labels.shape[1]], 0, 0.01, 'float32', 1));
  return tf.losses.softmaxCrossEntropy(labels, tf.matMul(features, w));
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    model: { type: 'string', default: 'small' },
    batch: { type: 'string' },
    steps: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'stock-backprop-input': { type: 'boolean', default: false },
    'stock-bn-grad': { type: 'boolean', default: false },
  });
  const model = MODELS[values.model];
  if (!model) throw new Error(`--model must be one of ${Object.keys(MODELS).join(', ')}`);
  const batch = intOption(values.batch, 'batch', 32);
  const steps = intOption(values.steps, 'steps', 5);

  const stockBnGrad = tf.getGradient('FusedBatchNorm');
  await import('@tensorflow/tfjs-backend-wasm');
  const stockBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const info = await initBackend({ purpose: 'train', prefer: 'wasm' });
  if (values['stock-backprop-input'] && stockBackpropInput) {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
    tf.registerKernel(stockBackpropInput);
  }
  if (values['stock-bn-grad'] && stockBnGrad) tf.registerGradient(stockBnGrad);

  const params: Params = new Map();
  const x = tf.randomNormal([batch, 64, 64, 12], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = tf.cast(tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10), 'float32') as tf.Tensor2D;
  tf.tidy(() => lossOf(params, model, x, labels)); // creates the variables
  const optimizer = tf.train.momentum(0.03, 0.9);
  const step = () => optimizer.minimize(() => lossOf(params, model, x, labels), true, [...params.values()])!;
  const nParams = [...params.values()].reduce((n, v) => n + v.size, 0);

  for (let i = 0; i < 2; i++) step().dispose(); // warm-up: XNNPACK operator creation, heap growth
  const t0 = performance.now();
  let loss = 0;
  for (let i = 0; i < steps; i++) {
    const l = step();
    loss = l.dataSync()[0];
    l.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  const report: Record<string, unknown> = {
    backend: info.name,
    simd: info.wasm?.simd,
    threads: info.wasm?.threads,
    model: values.model,
    params: nParams,
    batch,
    steps,
    msPerStep: Math.round((seconds * 1000) / steps),
    imagesPerSecond: Number(((batch * steps) / seconds).toFixed(1)),
    lastLoss: loss,
    tensorsAlive: tf.memory().numTensors,
    stockBackpropInput: values['stock-backprop-input'],
    stockBnGrad: values['stock-bn-grad'],
  };
  if (values.profile) {
    const profile = await tf.profile(() => {
      step().dispose();
    });
    const byKernel = new Map<string, number>();
    for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
    report.kernelMsOneStep = Object.fromEntries(
      [...byKernel.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, ms]) => [k, Math.round(ms)]),
    );
  }
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

await main(process.argv.slice(2));
