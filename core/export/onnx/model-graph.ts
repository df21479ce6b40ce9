import { BN_EPS } from '../../models/batch-norm.js';
import { resnetLayout, type ResNetBlock } from '../../models/resnet.js';
import type { HostTensor } from '../../formats/host-tensor.js';
import type { ModelCardBody } from '../../formats/model-card.js';
import { architectureDepth, resizeStep, type ResizeStep } from '../../formats/preprocessing.js';
import { GraphBuilder } from './graph-builder.js';
import type { OnnxGraph, OnnxValueInfo } from './onnx-proto.js';

/** The graph's one input and its outputs, by name. */
export const ONNX_INPUT = 'bands';
export const ONNX_OUTPUTS = { features: 'features', logits: 'logits', probabilities: 'probabilities' } as const;
/** The symbolic batch dimension: the caller (or QGIS Deepness) picks the batch size. */
export const BATCH_DIM = 'N';

/**
 * model: features (pooled backbone), plus logits and probabilities for a classifier.
 * deepness: a classifier's probabilities alone, broadcast over the tile, (N, classes, H, W), the
 * one 4-d output QGIS Deepness takes from a Segmentor.
 */
export type OnnxGraphKind = 'model' | 'deepness';

/**
 * The exported model as one ONNX function of the raw bands as the files hold them (float32,
 * N x C x H x W, in the card's band order): the card's NaN fill, clip and z-score per channel,
 * the resize to the trained side, the input block, torchvision's ResNet in inference mode and
 * the classifier's activation. Channel-wise steps commute with concatenation, so running them on
 * the stacked bands is the card's per-sensor recipe. `tensors` are in PyTorch's layout, which is
 * ONNX's (OIHW convolutions, [out, in] Gemm weights with transB).
 */
export function modelGraph(card: ModelCardBody, tensors: ReadonlyMap<string, HostTensor>, kind: OnnxGraphKind): OnnxGraph {
  if (kind === 'deepness' && card.task === 'features') throw new Error('ONNX export: a features model has no class probabilities to map');
  const g = new GraphBuilder(tensors);
  const resize = resizeStep(card);
  const channels = card.inputChannels;
  const perChannel = (name: string, values: readonly number[]) => g.floats(name, [1, channels, 1, 1], values);
  const { nanValue, clip, mean, std } = card.normalization;

  let x = g.op('Where', [g.op('IsNaN', [ONNX_INPUT], 'nan_mask'), perChannel('fill_nan.value', nanValue), ONNX_INPUT], 'fill_nan');
  if (clip.some((range) => range !== null)) {
    x = g.op('Max', [x, perChannel('clip.min', clip.map((r) => r?.[0] ?? -Infinity))], 'clip_min');
    x = g.op('Min', [x, perChannel('clip.max', clip.map((r) => r?.[1] ?? Infinity))], 'clip');
  }
  x = g.op('Div', [g.op('Sub', [x, perChannel('normalize.mean', mean)], 'centre'), perChannel('normalize.std', std)], 'normalize');
  x = resized(g, x, resize);
  if (card.inputBlock !== null) x = relu(g, batchNorm(g, `${card.inputBlock}.bn`, conv(g, `${card.inputBlock}.conv`, x, 1, 0)));

  const depth = architectureDepth(card.architecture);
  const { bottleneck, blocks, featureDim } = resnetLayout(depth);
  x = relu(g, batchNorm(g, 'bn1', conv(g, 'conv1', x, 2, 3)));
  x = g.op('MaxPool', [x], 'maxpool', { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 1, 1] } });
  for (const block of blocks) x = (bottleneck ? bottleneckBlock : basicBlock)(g, block, x);
  const features = g.op('Flatten', [g.op('GlobalAveragePool', [x], 'avgpool')], ONNX_OUTPUTS.features, { axis: { int: 1 } });

  const batch = (...dims: number[]) => [BATCH_DIM, ...dims];
  const input: OnnxValueInfo = {
    name: ONNX_INPUT,
    shape: batch(channels, resize.from, resize.from),
    doc: `raw bands as the files hold them (S2 reflectance x 10000, S1 dB, NaNs allowed), channels ${card.bands.join(', ')}`,
  };
  const graph = (outputs: OnnxValueInfo[]): OnnxGraph => ({ name: card.architecture, nodes: g.nodes, initializers: g.initializers, inputs: [input], outputs });
  if (card.task === 'features') return graph([{ name: features, shape: batch(featureDim) }]);

  const classes = card.classes.length;
  const logits = g.op('Gemm', [features, g.weight('fc.weight'), g.weight('fc.bias')], ONNX_OUTPUTS.logits, { transB: { int: 1 } });
  const probabilities = kind === 'model' ? ONNX_OUTPUTS.probabilities : 'scene_probabilities';
  if (card.task === 'multi-label') g.op('Sigmoid', [logits], probabilities);
  else g.op('Softmax', [logits], probabilities, { axis: { int: 1 } });
  if (kind === 'model') {
    return graph([
      { name: features, shape: batch(featureDim) },
      { name: logits, shape: batch(classes) },
      { name: probabilities, shape: batch(classes) },
    ]);
  }
  const columns = g.op('Unsqueeze', [probabilities, g.int64s('tile.axes', [2, 3])], 'scene_probabilities_nc11');
  const tile = g.op('Expand', [columns, g.int64s('tile.shape', [1, classes, resize.from, resize.from])], ONNX_OUTPUTS.probabilities);
  return graph([{ name: tile, shape: batch(classes, resize.from, resize.from) }]);
}

/** The card's resize: AveragePool over (from/size)^2 blocks for `area`, half-pixel bilinear otherwise (resample.ts). */
function resized(g: GraphBuilder, x: string, step: ResizeStep): string {
  if (step.method === 'area') {
    if (step.from % step.size !== 0) throw new Error(`ONNX export: an area resize from ${step.from} needs a size that divides it, got ${step.size}`);
    const k = step.from / step.size;
    return k === 1 ? x : g.op('AveragePool', [x], 'resize', { kernel_shape: { ints: [k, k] }, strides: { ints: [k, k] } });
  }
  const scale = step.size / step.from;
  const scales = g.floats('resize.scales', [4], [1, 1, scale, scale]);
  return g.op('Resize', [x, '', scales], 'resize', { mode: { string: 'linear' }, coordinate_transformation_mode: { string: 'half_pixel' } });
}

/** PyTorch's symmetric zero padding on every side, bias-free as in torchvision's ResNet. */
function conv(g: GraphBuilder, prefix: string, x: string, stride: number, pad: number): string {
  const weight = g.weight(`${prefix}.weight`);
  const [, , kh, kw] = g.shapeOf(weight);
  return g.op('Conv', [x, weight], prefix, { kernel_shape: { ints: [kh, kw] }, strides: { ints: [stride, stride] }, pads: { ints: [pad, pad, pad, pad] } });
}

/** Inference mode: the running statistics. */
function batchNorm(g: GraphBuilder, prefix: string, x: string): string {
  const inputs = ['weight', 'bias', 'running_mean', 'running_var'].map((n) => g.weight(`${prefix}.${n}`));
  return g.op('BatchNormalization', [x, ...inputs], prefix, { epsilon: { float: BN_EPS } });
}

function relu(g: GraphBuilder, x: string): string {
  return g.op('Relu', [x], `${x}.relu`);
}

function basicBlock(g: GraphBuilder, b: ResNetBlock, x: string): string {
  const p = b.prefix;
  const h = relu(g, batchNorm(g, `${p}.bn1`, conv(g, `${p}.conv1`, x, b.stride, 1)));
  return residual(g, b, batchNorm(g, `${p}.bn2`, conv(g, `${p}.conv2`, h, 1, 1)), x);
}

/** torchvision's v1.5 bottleneck: the stride sits on the 3x3 conv. */
function bottleneckBlock(g: GraphBuilder, b: ResNetBlock, x: string): string {
  const p = b.prefix;
  let h = relu(g, batchNorm(g, `${p}.bn1`, conv(g, `${p}.conv1`, x, 1, 0)));
  h = relu(g, batchNorm(g, `${p}.bn2`, conv(g, `${p}.conv2`, h, b.stride, 1)));
  return residual(g, b, batchNorm(g, `${p}.bn3`, conv(g, `${p}.conv3`, h, 1, 0)), x);
}

function residual(g: GraphBuilder, b: ResNetBlock, h: string, x: string): string {
  const shortcut = b.downsample ? batchNorm(g, `${b.prefix}.downsample.1`, conv(g, `${b.prefix}.downsample.0`, x, b.stride, 0)) : x;
  return relu(g, g.op('Add', [h, shortcut], `${b.prefix}.add`));
}
