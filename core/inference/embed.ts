import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BAND_SENSORS, bandSource, type BandSensor } from '../common/dataset/bands.js';
import { readS1, readS2 } from '../dataset/patch-reader.js';
import type { Raster } from '../dataset/tiff/types.js';
import { describeModel } from '../formats/describe-model.js';
import { prepareRun } from '../weights/prepare-run.js';
import { readTensors, type HostTensor } from '../formats/host-tensor.js';
import type { ModelCardBody } from '../formats/model-card.js';
import { architectureDepth, resizeStep } from '../formats/preprocessing.js';
import { EVAL } from '../models/batch-norm.js';
import type { BlockSensor } from '../common/training/model-options.js';
import type { CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { RUN_FILES } from '../runs/run-dir.js';
import { resampleInto } from '../sampler/resample.js';
import { encoderFromWeights } from '../weights/encoder-weights.js';
import { readExportedModel } from '../weights/exported-weights.js';
import { modelDirKind, refuseSelectorOnExport } from '../weights/model-dir.js';

export interface EmbedInput {
  /** An exported model directory (model-card.json + its weights) or a run directory. */
  model: string;
  /** For a run directory: which checkpoint (default: a pretrain's last, a finetune's best). */
  checkpoint?: CheckpointSelector;
  s2?: string;
  s1?: string;
  /** Told, one line each, of a sensor the model reads that is zero-filled and of a given file it does not read. */
  warn?: (line: string) => void;
  /** Told which checkpoint the features come from. */
  info?: (line: string) => void;
}

/**
 * The pooled backbone features of one patch, following the model's own card: its bands are read
 * from the given files, normalised, resampled to the side the model was trained at and run
 * through the input block (if any) and the backbone in inference mode. Channels of a sensor
 * whose file is not given are zero (the mean after normalisation), as in training. A run
 * directory is described exactly as `export` would describe it, without writing anything.
 */
export async function embedPatch(input: EmbedInput): Promise<number[]> {
  const { card, tensors, source } = await loadModel(input);
  const { kind, step, epoch, run, file } = card.checkpoint;
  input.info?.(`embed uses the ${kind} checkpoint (step ${step}, epoch ${epoch}) of ${run}: ${file}`);
  const depth = architectureDepth(card.architecture);
  const files: Record<BandSensor, string | undefined> = { s2: input.s2, s1: input.s1 };
  const reads = new Set(card.bands.map((band) => bandSource(band).sensor));
  if (![...reads].some((s) => files[s])) {
    throw new Error(`${input.model}: the model reads ${card.bands.join(', ')}: give ${[...reads].map((s) => `--${s}`).join(' or ')}`);
  }
  for (const sensor of BAND_SENSORS) {
    const name = sensor.toUpperCase();
    if (reads.has(sensor) && !files[sensor]) {
      const bands = card.bands.filter((b) => bandSource(b).sensor === sensor);
      input.warn?.(`embed: the model ${input.model} reads ${name} (${bands.join(', ')}) but no --${sensor} was given: those channels are zero-filled (the band means)`);
    }
    if (!reads.has(sensor) && files[sensor]) input.warn?.(`embed: the model ${input.model} does not read ${name}: --${sensor} ${files[sensor]} is ignored`);
  }
  const rasters: Record<BandSensor, Raster | null> = {
    s2: reads.has('s2') && files.s2 ? await readS2(files.s2) : null,
    s1: reads.has('s1') && files.s1 ? await readS1(files.s1) : null,
  };

  const { size } = resizeStep(card);
  const channels = card.bands.length;
  const x = new Float32Array(size * size * channels);
  card.bands.forEach((band, c) => {
    const { sensor, index } = bandSource(band);
    const raster = rasters[sensor];
    if (raster) resampleInto(normalised(raster.data[index], card, c), raster.width, size, x, c, channels);
  });

  const block = card.inputBlock?.split('.')[1] as BlockSensor | undefined;
  // The pooled features come before any head, so the encoder is built without one.
  const backbone = new Map([...tensors].filter(([name]) => !name.startsWith('head.') && !name.startsWith('fc.')));
  const encoder = encoderFromWeights(block ? { depth, inputBlocks: [block] } : { depth, inChannels: card.inputChannels }, backbone, source);
  try {
    const features = tf.tidy(() => {
      const batch = tf.tensor4d(x, [1, size, size, channels]);
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

/** The card and tensors (this app's layout) of an export, or of a run's checkpoint as `export` would write them. */
async function loadModel(input: EmbedInput): Promise<{ card: ModelCardBody; tensors: Map<string, HostTensor>; source: string }> {
  if ((await modelDirKind(input.model)) === 'export') {
    refuseSelectorOnExport(input.model, input.checkpoint);
    const { card, tensors, dir } = await readExportedModel(input.model);
    return { card, tensors, source: join(dir, card.weights.file) };
  }
  // A pretrain with a block per sensor is embedded through the block of the file given (S2 when both are).
  const prepared = await prepareRun(input.model, { checkpoint: input.checkpoint, preferSensor: input.s2 ? 's2' : 's1' });
  try {
    const card = describeModel(prepared.params, { ...prepared.card, metrics: {}, splits: {} });
    const ref = prepared.card.checkpoint;
    return { card, tensors: await readTensors(prepared.params), source: join(ref.run, RUN_FILES.checkpoints, ref.file) };
  } finally {
    prepared.encoder.dispose();
  }
}

/** The card's normalisation of channel c: NaN fill, clip, z-score. */
function normalised(band: ArrayLike<number>, card: ModelCardBody, c: number): Float32Array {
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
