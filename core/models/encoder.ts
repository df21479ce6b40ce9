import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';

import type { BatchNormMode } from './batch-norm.js';
import { headForward, headOutputDim, headSpecs, type HeadConfig } from './heads.js';
import { BLOCK_OUT_CHANNELS, inputBlock, inputBlockSpecs, setInputBlockFrozen } from './input-block.js';
import { BLOCK_SENSORS, type BlockSensor, type ResNetDepth } from '../common/training/model-options.js';
import { checkParams, createParams, type ParamSpec } from './param-spec.js';
import { cloneParams, disposeParams, parameterNames, type ParamStore } from './params.js';
import { bindResNet, resnetFeatureDim, resnetParamSpecs, type BackboneMode, type ResNet } from './resnet.js';

/**
 * Input blocks (optional, one per sensor) -> ResNet backbone -> head (optional), all in one
 * ParamStore. MoCo's query and key encoders and the finetuned classifier are all Encoders.
 */
export interface EncoderConfig {
  depth: ResNetDepth;
  /** One input block per sensor; the backbone then takes their 3 channels. */
  inputBlocks?: readonly BlockSensor[];
  /** Channels fed straight to the backbone when there are no blocks (12 for S2+S1 fusion). */
  inChannels?: number;
  head?: HeadConfig;
  /** Leave the input blocks out of training (weights not trainable, BatchNorm in eval mode). */
  freezeInputBlocks?: boolean;
}

export interface EncoderRun {
  /** Which input block the batch goes through; required exactly when the encoder has blocks. */
  sensor?: BlockSensor;
  training: boolean;
  /** Whether training-mode BatchNorms move their running statistics; defaults to `training`. */
  updateStats?: boolean;
}

/** Every entry an encoder of this config holds, in store order: blocks, backbone, head. */
export function encoderParamSpecs(config: EncoderConfig): ParamSpec[] {
  const inChannels = backboneChannels(config);
  return [
    ...(config.inputBlocks ?? []).flatMap(inputBlockSpecs),
    ...resnetParamSpecs({ depth: config.depth, inChannels }),
    ...(config.head ? headSpecs(config.head, resnetFeatureDim(config.depth)) : []),
  ];
}

export class Encoder {
  readonly featureDim: number;
  /** Width of forward's output: the head's, or featureDim without a head. */
  readonly outputDim: number;
  private readonly backbone: ResNet;
  private readonly blocks: readonly BlockSensor[];

  /** Freshly initialised; each entry's values depend only on (seed, name). */
  static create(config: EncoderConfig, seed: number): Encoder {
    return new Encoder(config, createParams(encoderParamSpecs(config), seed));
  }

  /** Over existing parameters (a checkpoint); throws naming a missing or misshapen entry. */
  static fromParams(config: EncoderConfig, params: ParamStore): Encoder {
    checkParams(params, encoderParamSpecs(config));
    return new Encoder(config, params);
  }

  private constructor(
    readonly config: EncoderConfig,
    readonly params: ParamStore,
  ) {
    this.blocks = config.inputBlocks ?? [];
    for (const sensor of this.blocks) setInputBlockFrozen(params, sensor, config.freezeInputBlocks ?? false);
    this.backbone = bindResNet({ depth: config.depth, inChannels: backboneChannels(config) }, params);
    this.featureDim = this.backbone.featureDim;
    this.outputDim = config.head ? headOutputDim(config.head) : this.featureDim;
  }

  /** What an optimiser updates: parameters that are neither buffers nor frozen. */
  trainableNames(): string[] {
    return [...this.params].filter(([, v]) => v.trainable).map(([name]) => name);
  }

  /** All weights and biases, frozen ones included (buffers excluded): what a momentum copy follows. */
  parameterNames(): string[] {
    return parameterNames(this.params);
  }

  /** NHWC batch -> [batch, outputDim]. Call inside tf.tidy or tf.variableGrads. */
  forward(x: Tensor4D, run: EncoderRun): Tensor2D {
    const mode = { training: run.training, updateStats: run.updateStats ?? run.training };
    if (run.sensor === undefined) {
      if (this.blocks.length > 0) throw new Error(`this encoder needs a sensor (${this.blocks.join(', ')})`);
      return this.forwardBackbone(x, mode);
    }
    return this.forwardBackbone(this.forwardInput(x, run.sensor, mode), mode);
  }

  /**
   * The two halves of forward, for batches that mix sensors: run each sensor's part through
   * its block, concatenate, then share one backbone pass (and its batch statistics).
   */
  forwardInput(x: Tensor4D, sensor: BlockSensor, mode: BatchNormMode): Tensor4D {
    if (!this.blocks.includes(sensor)) {
      throw new Error(`this encoder has no input block for ${sensor} (blocks: ${this.blocks.join(', ') || 'none'})`);
    }
    return inputBlock(this.params, sensor, x, mode);
  }

  /** Backbone then head (if any); the head has no BatchNorm. */
  forwardBackbone(x: Tensor4D, mode: BackboneMode): Tensor2D {
    const features = this.backbone.forward(x, mode);
    return this.config.head ? headForward(this.params, this.config.head, features) : features;
  }

  /** An independent copy (values, buffers, frozen flags): MoCo's key encoder. */
  clone(): Encoder {
    return new Encoder(this.config, cloneParams(this.params));
  }

  dispose(): void {
    disposeParams(this.params);
  }
}

function backboneChannels(config: EncoderConfig): number {
  const blocks = config.inputBlocks ?? [];
  if (blocks.length > 0) {
    if (config.inChannels !== undefined) {
      throw new Error('encoder config: give inputBlocks or inChannels, not both (blocks output 3 channels)');
    }
    for (const sensor of blocks) {
      if (!BLOCK_SENSORS.includes(sensor)) throw new Error(`encoder config: unknown input block sensor "${sensor}"`);
    }
    if (new Set(blocks).size !== blocks.length) throw new Error(`encoder config: repeated input block in [${blocks}]`);
    return BLOCK_OUT_CHANNELS;
  }
  if (config.inChannels === undefined) throw new Error('encoder config: give inputBlocks or inChannels');
  return config.inChannels;
}
