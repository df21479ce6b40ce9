import * as tf from '@tensorflow/tfjs-core';
import { S1_BANDS, S2_BANDS } from '../dataset/bands.js';
import { readS1, readS2 } from '../dataset/patch-reader.js';
import type { ModelCard } from '../export/model-card.js';
import { EVAL } from '../models/batch-norm.js';
import type { BlockSensor } from '../models/input-block.js';
import { RESNET_DEPTHS, type ResNetDepth } from '../models/resnet.js';
import { resampleInto } from '../sampler/resample.js';
import { readExportedModel } from './exported-weights.js';
import { encoderFromWeights } from './encoder-weights.js';

export interface EmbedInput {
  /** Exported model directory (model.safetensors + model-card.json). */
  model: string;
  s2?: string;
  s1?: string;
}

/**
 * The pooled backbone features of one patch, with the model's own card: its bands are read from
 * the given files, normalised as the card says, resampled to the side the model was trained at,
 * and run through the input block (if any) and the backbone in inference mode. Channels of a
 * sensor whose file is not given are zero (the mean after normalisation), as in training.
 */
export async function embedPatch(input: EmbedInput): Promise<number[]> {
  const { card, tensors, dir } = await readExportedModel(input.model);
  const depth = Number(card.architecture.replace('resnet', '')) as ResNetDepth;
  if (!RESNET_DEPTHS.includes(depth)) throw new Error(`${dir}: architecture ${card.architecture} is not one this app builds`);
  const sensorOf = (band: string) => ((S1_BANDS as readonly string[]).includes(band) ? 's1' : 's2');
  const needs = new Set(card.bands.map(sensorOf));
  if (![...needs].some((s) => (s === 's1' ? input.s1 : input.s2))) {
    throw new Error(`the model reads ${card.bands.join(', ')}: give ${[...needs].map((s) => `--${s}`).join(' or ')}`);
  }
  const s2 = input.s2 ? await readS2(input.s2) : null;
  const s1 = input.s1 ? await readS1(input.s1) : null;
  const trainedSize = card.training.config.size;
  const size = typeof trainedSize === 'number' ? trainedSize : (s2 ?? s1)!.width;
  const x = new Float32Array(size * size * card.bands.length);
  card.bands.forEach((band, c) => {
    const raster = sensorOf(band) === 's1' ? s1 : s2;
    if (!raster) return;
    const index = sensorOf(band) === 's1' ? (S1_BANDS as readonly string[]).indexOf(band) : (S2_BANDS as readonly string[]).indexOf(band);
    resampleInto(normalised(raster.data[index], card, c), raster.width, size, x, c, card.bands.length);
  });

  const block = card.inputBlock?.split('.')[1] as BlockSensor | undefined;
  // The pooled features come before any head, so the encoder is built without one.
  const backbone = new Map([...tensors].filter(([name]) => !name.startsWith('head.') && !name.startsWith('fc.')));
  const encoder = encoderFromWeights(block ? { depth, inputBlocks: [block] } : { depth, inChannels: card.inputChannels }, backbone, `${dir}/${card.weights.file}`);
  try {
    const features = tf.tidy(() => {
      const batch = tf.tensor4d(x, [1, size, size, card.bands.length]);
      const y = block ? encoder.forwardInput(batch, block, EVAL) : batch;
      return encoder.forwardBackbone(y, EVAL);
    });
    const out = Array.from(await features.data());
    features.dispose();
    return out;
  } finally {
    encoder.dispose();
  }
}

/** The card's normalisation of channel c: NaN fill, clip, z-score. */
function normalised(band: ArrayLike<number>, card: ModelCard, c: number): Float32Array {
  const { nanValue, clip, mean, std } = card.normalization;
  const range = clip[c];
  const out = new Float32Array(band.length);
  for (let i = 0; i < band.length; i++) {
    let v = band[i];
    if (Number.isNaN(v)) v = nanValue[c];
    if (range) v = Math.min(range[1], Math.max(range[0], v));
    out[i] = (v - mean[c]) / std[c];
  }
  return out;
}
