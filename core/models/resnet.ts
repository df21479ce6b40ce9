import { add, maxPool, mean, relu, type Tensor2D, type Tensor4D } from '@tensorflow/tfjs-core';

import { RESNET_DEPTHS, type ResNetDepth } from '../common/training/model-options.js';
import { batchNorm, batchNormSpecs, type BatchNormMode } from './batch-norm.js';
import { conv2d, convSpec } from './layers.js';
import { checkParams, createParams, type ParamSpec } from './param-spec.js';
import type { ParamStore } from './params.js';

/**
 * torchvision's ResNet without its fc: the same blocks, strides and parameter names, so a
 * ParamStore exported to PyTorch loads into torchvision.models.resnetNN (conv1 widened to the
 * input's channel count) and gives the same pooled features.
 */


/** The parts freezing treats as units: the stem (conv1, bn1), then torchvision's four stages. */
export const RESNET_STAGES = ['stem', 'layer1', 'layer2', 'layer3', 'layer4'] as const;
export type ResNetStage = (typeof RESNET_STAGES)[number];

/**
 * One BatchNorm mode for the whole backbone, or one per stage: finetuning runs frozen stages as
 * in inference (PyTorch's `.eval()` on them) while the stages after them train.
 */
export type BackboneMode = BatchNormMode | ((stage: ResNetStage) => BatchNormMode);

export function stageMode(mode: BackboneMode, stage: ResNetStage): BatchNormMode {
  return typeof mode === 'function' ? mode(stage) : mode;
}

/** The stage a backbone entry belongs to ("layer2.1.bn1.weight" -> layer2), null outside the backbone. */
export function resnetStageOf(name: string): ResNetStage | null {
  if (name.startsWith('conv1.') || name.startsWith('bn1.')) return 'stem';
  const layer = /^layer([1-4])\./.exec(name);
  return layer ? RESNET_STAGES[Number(layer[1])] : null;
}

export interface ResNetShape {
  depth: ResNetDepth;
  inChannels: number;
}

export interface ResNet extends ResNetShape {
  readonly featureDim: number;
  /** Holds at least this network's entries; may be shared with other blocks of a model. */
  readonly params: ParamStore;
  /** NHWC input with `inChannels` channels -> [batch, featureDim]. */
  forward(x: Tensor4D, mode: BackboneMode): Tensor2D;
}

/** torchvision's ResNet(block, layers) arguments: resnet10 is ResNet(BasicBlock, [1, 1, 1, 1]). */
export interface ResNetArchitecture {
  bottleneck: boolean;
  blocksPerStage: [number, number, number, number];
}

export const RESNET_ARCHITECTURES: Readonly<Record<ResNetDepth, ResNetArchitecture>> = {
  10: { bottleneck: false, blocksPerStage: [1, 1, 1, 1] },
  18: { bottleneck: false, blocksPerStage: [2, 2, 2, 2] },
  34: { bottleneck: false, blocksPerStage: [3, 4, 6, 3] },
  50: { bottleneck: true, blocksPerStage: [3, 4, 6, 3] },
};

const STAGE_WIDTHS = [64, 128, 256, 512];

export interface ResNetBlock {
  stage: ResNetStage;
  prefix: string;
  inChannels: number;
  width: number;
  outChannels: number;
  stride: number;
  downsample: boolean;
}

export interface ResNetLayout {
  bottleneck: boolean;
  blocks: ResNetBlock[];
  featureDim: number;
}

/**
 * torchvision's _make_layer: the first block of a stage strides (except layer1) and projects.
 * Exporters that rebuild the network in another format walk the same blocks.
 */
export function resnetLayout(depth: ResNetDepth): ResNetLayout {
  const { bottleneck, blocksPerStage } = RESNET_ARCHITECTURES[depth];
  const expansion = bottleneck ? 4 : 1;
  const blocks: ResNetBlock[] = [];
  let channels = 64;
  blocksPerStage.forEach((count, stage) => {
    const width = STAGE_WIDTHS[stage];
    const name = RESNET_STAGES[stage + 1];
    for (let i = 0; i < count; i++) {
      const stride = i === 0 && stage > 0 ? 2 : 1;
      const outChannels = width * expansion;
      blocks.push({
        stage: name,
        prefix: `${name}.${i}`,
        inChannels: channels,
        width,
        outChannels,
        stride,
        downsample: stride !== 1 || channels !== outChannels,
      });
      channels = outChannels;
    }
  });
  return { bottleneck, blocks, featureDim: channels };
}

/** Width of the pooled features: 512 for BasicBlock networks, 2048 for Bottleneck ones. */
export function resnetFeatureDim(depth: ResNetDepth): number {
  return resnetLayout(depth).featureDim;
}

export function resnetParamSpecs(shape: ResNetShape): ParamSpec[] {
  const { bottleneck, blocks } = resnetLayout(checkShape(shape).depth);
  const specs = [convSpec('conv1.weight', 7, shape.inChannels, 64, 'kaiming-fan-out'), ...batchNormSpecs('bn1', 64)];
  for (const b of blocks) {
    const p = b.prefix;
    if (bottleneck) {
      specs.push(
        convSpec(`${p}.conv1.weight`, 1, b.inChannels, b.width, 'kaiming-fan-out'),
        ...batchNormSpecs(`${p}.bn1`, b.width),
        convSpec(`${p}.conv2.weight`, 3, b.width, b.width, 'kaiming-fan-out'),
        ...batchNormSpecs(`${p}.bn2`, b.width),
        convSpec(`${p}.conv3.weight`, 1, b.width, b.outChannels, 'kaiming-fan-out'),
        ...batchNormSpecs(`${p}.bn3`, b.outChannels),
      );
    } else {
      specs.push(
        convSpec(`${p}.conv1.weight`, 3, b.inChannels, b.width, 'kaiming-fan-out'),
        ...batchNormSpecs(`${p}.bn1`, b.width),
        convSpec(`${p}.conv2.weight`, 3, b.width, b.outChannels, 'kaiming-fan-out'),
        ...batchNormSpecs(`${p}.bn2`, b.outChannels),
      );
    }
    if (b.downsample) {
      specs.push(
        convSpec(`${p}.downsample.0.weight`, 1, b.inChannels, b.outChannels, 'kaiming-fan-out'),
        ...batchNormSpecs(`${p}.downsample.1`, b.outChannels),
      );
    }
  }
  return specs;
}

/** A freshly initialised ResNet (torchvision's init, zero_init_residual=False), deterministic in `seed`. */
export function createResNet(opts: ResNetShape & { seed: number }): ResNet {
  return bindResNet(opts, createParams(resnetParamSpecs(opts), opts.seed));
}

/** A ResNet over existing parameters (a checkpoint, a copy); throws naming a missing or misshapen entry. */
export function bindResNet(shape: ResNetShape, params: ParamStore): ResNet {
  checkParams(params, resnetParamSpecs(shape));
  const { depth, inChannels } = shape;
  const { bottleneck, blocks, featureDim } = resnetLayout(depth);
  const runBlock = bottleneck ? bottleneckBlock : basicBlock;

  return {
    depth,
    inChannels,
    featureDim,
    params,
    forward(x, mode) {
      if (x.rank !== 4 || x.shape[3] !== inChannels) {
        throw new Error(`ResNet-${depth} expects NHWC input with ${inChannels} channels, got shape [${x.shape}]`);
      }
      let h = relu(batchNorm(params, 'bn1', conv2d(params, 'conv1.weight', x, 2, 3), stageMode(mode, 'stem')));
      h = maxPool(h, 3, 2, 1);
      for (const block of blocks) h = runBlock(params, block, h, stageMode(mode, block.stage));
      return mean(h, [1, 2]) as Tensor2D;
    },
  };
}

function basicBlock(params: ParamStore, b: ResNetBlock, x: Tensor4D, mode: BatchNormMode): Tensor4D {
  const p = b.prefix;
  let h = relu(batchNorm(params, `${p}.bn1`, conv2d(params, `${p}.conv1.weight`, x, b.stride, 1), mode));
  h = batchNorm(params, `${p}.bn2`, conv2d(params, `${p}.conv2.weight`, h, 1, 1), mode);
  return relu(add(h, shortcut(params, b, x, mode)) as Tensor4D);
}

/** torchvision's v1.5 bottleneck: the stride sits on the 3x3 conv. */
function bottleneckBlock(params: ParamStore, b: ResNetBlock, x: Tensor4D, mode: BatchNormMode): Tensor4D {
  const p = b.prefix;
  let h = relu(batchNorm(params, `${p}.bn1`, conv2d(params, `${p}.conv1.weight`, x, 1, 0), mode));
  h = relu(batchNorm(params, `${p}.bn2`, conv2d(params, `${p}.conv2.weight`, h, b.stride, 1), mode));
  h = batchNorm(params, `${p}.bn3`, conv2d(params, `${p}.conv3.weight`, h, 1, 0), mode);
  return relu(add(h, shortcut(params, b, x, mode)) as Tensor4D);
}

function shortcut(params: ParamStore, b: ResNetBlock, x: Tensor4D, mode: BatchNormMode): Tensor4D {
  if (!b.downsample) return x;
  const projected = conv2d(params, `${b.prefix}.downsample.0.weight`, x, b.stride, 0);
  return batchNorm(params, `${b.prefix}.downsample.1`, projected, mode);
}

function checkShape(shape: ResNetShape): ResNetShape {
  if (!RESNET_DEPTHS.includes(shape.depth)) {
    throw new Error(`ResNet depth must be one of ${RESNET_DEPTHS.join(', ')}, got ${shape.depth}`);
  }
  if (!Number.isInteger(shape.inChannels) || shape.inChannels < 1) {
    throw new Error(`ResNet inChannels must be a positive integer, got ${shape.inChannels}`);
  }
  return shape;
}
