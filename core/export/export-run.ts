import { bandPreset, type BandPresetId } from '../dataset/bands.js';
import { IGBP_CLASSES, SIMPLIFIED_CLASSES } from '../dataset/labels.js';
import type { Encoder, EncoderConfig } from '../models/encoder.js';
import { MOCO_DIM } from '../models/heads.js';
import type { BlockSensor } from '../models/input-block.js';
import type { ParamStore } from '../models/params.js';
import { readMetrics } from '../runs/metrics-log.js';
import { openRun, type Run } from '../runs/run-dir.js';
import { loadPatchItems } from '../sampler/patch-items.js';
import { selectPatches } from '../sampler/selection.js';
import { finetuneSelection } from '../training/finetune.js';
import type { FinetuneConfig } from '../training/finetune-config.js';
import { runCheckpoint } from '../training/model-dir.js';
import { BEST_RULE, type CheckpointRef, type CheckpointSelector } from '../runs/checkpoint-select.js';
import type { MetricRecord } from '../runs/metrics-log.js';
import { resolvePretrainConfig, type PretrainConfig } from '../training/pretrain-config.js';
import { encoderInputs } from '../training/pretrain.js';
import { loadTrainedClassifier } from '../training/trained-classifier.js';
import { cardInput } from './card-normalization.js';
import { exportSafetensors } from './export-safetensors.js';
import { splitDigest, type ModelCard, type ModelCardInput } from './model-card.js';
import { exportTfjsLayersModel } from './tfjs-layers-model.js';
import { encoderFromWeights } from '../training/encoder-weights.js';

export const EXPORT_FORMATS = ['safetensors', 'tfjs'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRunOptions {
  formats: readonly ExportFormat[];
  /** Pretrain runs with per-sensor blocks: which sensor the exported model takes (default s2). */
  sensor?: BlockSensor;
  /** Which checkpoint of the run (default: a pretrain's last, a finetune's best). */
  checkpoint?: CheckpointSelector;
}

export interface ExportedFiles {
  dir: string;
  card: ModelCard;
  files: string[];
}

/**
 * Exports one checkpoint of a run (opts.checkpoint, recorded in the card): a pretrain run as a feature extractor (backbone
 * with the chosen input block and the projection head), a finetune run as its classifier. The
 * card records the bands, normalisation, classes, training config, metrics and split digests.
 */
export async function exportRun(runDir: string, outDir: string, opts: ExportRunOptions): Promise<ExportedFiles> {
  const run = await openRun(runDir);
  const { encoder, params, card, inputBlock } = run.config.kind === 'pretrain' ? await pretrainModel(run, opts) : await finetuneModel(run, opts);
  try {
    const files: string[] = [];
    let written = card as ModelCard;
    if (opts.formats.includes('safetensors')) {
      written = await exportSafetensors(params, outDir, card);
      files.push('model.safetensors', 'model-card.json');
    }
    if (opts.formats.includes('tfjs')) {
      await exportTfjsLayersModel(params, outDir, { inputBlock });
      files.push('model.json', 'group1-shard1of1.bin');
    }
    return { dir: outDir, card: written, files };
  } finally {
    encoder.dispose();
  }
}

interface Prepared {
  encoder: Encoder;
  /** What is exported: the encoder's entries, less input blocks the exported model does not use. */
  params: ParamStore;
  card: ModelCardInput;
  inputBlock: string | null;
}

async function pretrainModel(run: Run, opts: ExportRunOptions): Promise<Prepared> {
  const config = resolvePretrainConfig(run.config.trainer as unknown as PretrainConfig);
  const inputs = encoderInputs(config);
  const blocks = inputs.inputBlocks ?? [];
  const sensor = opts.sensor ?? (blocks.includes('s2') ? 's2' : blocks[0]);
  if (opts.sensor && !blocks.includes(opts.sensor)) {
    throw new Error(`${run.dir}: the pretrained model has ${blocks.length ? `input blocks for ${blocks.join(', ')}` : 'no input blocks'}, not one for ${opts.sensor}`);
  }
  const { checkpoint: ckpt, ref } = await runCheckpoint(run.dir, 'pretrain', opts.checkpoint);
  const encoderConfig: EncoderConfig = { depth: config.depth, ...inputs, head: { kind: 'projection', dim: MOCO_DIM } };
  const encoder = encoderFromWeights(encoderConfig, ckpt.model, ckpt.path);
  const preset: BandPresetId = sensor === undefined ? 'fusion-12' : sensor === 's2' ? 's2-10' : 's1';
  const train = await selectPatches(loadPatchItems(config.catalog), { ...config.selection, requireS1: true });
  const epochEnd = await epochRecordAt(run.dir, ref);
  const keep = ([name]: [string, unknown]) => !name.startsWith('input.') || name.startsWith(`input.${sensor}.`);
  return {
    encoder,
    params: new Map([...encoder.params].filter(keep)),
    inputBlock: sensor === undefined ? null : `input.${sensor}`,
    card: {
      architecture: `resnet${config.depth}`,
      ...cardInput(bandPreset(preset)),
      inputBlock: sensor === undefined ? null : `input.${sensor}`,
      task: 'features',
      classes: [],
      threshold: null,
      checkpoint: ref,
      training: { kind: 'pretrain', bestRule: BEST_RULE.pretrain, config: { ...config } },
      metrics: numbersOf(epochEnd, ['epoch_loss', 'knn_top1']),
      splits: { pretrain: splitDigest(train.map((p) => p.id)) },
    },
  };
}

async function finetuneModel(run: Run, opts: ExportRunOptions): Promise<Prepared> {
  const model = await loadTrainedClassifier(run.dir, opts.checkpoint);
  const config = model.config as FinetuneConfig;
  const { spec } = model;
  if (spec.inputBlocks && spec.input === 's1s2') {
    model.encoder.dispose();
    throw new Error(
      `${run.dir}: an s1s2 classifier with 1x1 blocks sums two input blocks, which the model card cannot describe yet; ` +
        'export a classifier trained on one sensor or without blocks',
    );
  }
  const preset: BandPresetId = !spec.inputBlocks ? 'fusion-12' : spec.input === 's2' ? 's2-10' : 's1';
  const items = loadPatchItems(config.catalog);
  const [train, val] = await Promise.all([finetuneSelection(items, config, 'train'), finetuneSelection(items, config, 'val')]);
  // The validation of the exported checkpoint itself: none for one saved mid-epoch.
  const report = (await epochRecordAt(run.dir, model.checkpoint))?.validation as MetricRecord | undefined;
  const metrics = Object.fromEntries(Object.entries(numbersOf(report, Object.keys(report ?? {}))).map(([k, v]) => [`val_${k}`, v]));
  const inputBlock = spec.inputBlocks ? `input.${spec.input}` : null;
  return {
    encoder: model.encoder,
    params: model.encoder.params,
    inputBlock,
    card: {
      architecture: `resnet${spec.depth}`,
      ...cardInput(bandPreset(preset)),
      inputBlock,
      task: spec.scheme === 'multi' ? 'multi-label' : 'single-label',
      classes: [...(spec.classes === 10 ? SIMPLIFIED_CLASSES : IGBP_CLASSES)],
      threshold: spec.scheme === 'multi' ? 0.5 : null,
      checkpoint: model.checkpoint,
      training: { kind: 'finetune', bestRule: BEST_RULE.finetune, config: { ...config } },
      metrics,
      splits: { train: splitDigest(train.map((p) => p.id)), val: splitDigest(val.map((p) => p.id)) },
    },
  };
}

/** The epoch-end metrics line written at the checkpoint's step, if the checkpoint ends an epoch. */
async function epochRecordAt(runDir: string, ref: CheckpointRef): Promise<MetricRecord | undefined> {
  return (await readMetrics(runDir)).records.find((r) => r.step === ref.step && typeof r.epoch_end === 'boolean');
}

function numbersOf(record: MetricRecord | undefined, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.filter((k) => typeof record?.[k] === 'number').map((k) => [k, record![k] as number]));
}
