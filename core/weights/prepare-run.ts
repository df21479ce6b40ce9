import { bandPreset, type BandPresetId } from '../common/dataset/bands.js';
import { IGBP_CLASSES, SIMPLIFIED_CLASSES } from '../common/dataset/labels.js';
import type { Encoder, EncoderConfig } from '../models/encoder.js';
import { MOCO_DIM } from '../models/heads.js';
import type { BlockSensor } from '../common/training/model-options.js';
import type { ParamStore } from '../models/params.js';
import { type MetricRecord, readMetrics } from '../runs/metrics-log.js';
import { openRun, type Run } from '../runs/run-dir.js';
import { loadPatchItems } from '../sampler/patch-items.js';
import { selectPatches } from '../sampler/selection.js';
import { finetuneSelection } from '../sampler/finetune-selection.js';
import { MULTI_LABEL_THRESHOLD, type FinetuneConfig } from '../common/training/finetune-config.js';
import { runCheckpoint } from './model-dir.js';
import { BEST_RULE, type CheckpointRef, type CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { recordedPretrainConfig } from '../common/training/pretrain-config.js';
import { encoderInputs } from '../models/encoder-inputs.js';
import { loadTrainedClassifier } from './trained-classifier.js';
import { cardInput } from '../formats/card-normalization.js';
import { splitDigest, type ModelCardInput } from '../formats/model-card.js';
import { encoderFromWeights } from './encoder-weights.js';


export interface PrepareRunOptions {
  /** Pretrain runs with per-sensor blocks: which sensor the model takes (default s2). */
  sensor?: BlockSensor;
  /** Pretrain runs with per-sensor blocks, when `sensor` is not given: the block to take if the run has it. */
  preferSensor?: BlockSensor;
  /** Which checkpoint of the run (default: a pretrain's last, a finetune's best). */
  checkpoint?: CheckpointSelector;
}

export interface PreparedRun {
  encoder: Encoder;
  /** What is exported: the encoder's entries, less input blocks the exported model does not use. */
  params: ParamStore;
  card: Omit<ModelCardInput, 'metrics' | 'splits'>;
  /** The card's metrics and split digests: they read the run's metrics log and its catalog, so only an export asks. */
  provenance(): Promise<Pick<ModelCardInput, 'metrics' | 'splits'>>;
}

/** Loads the checkpoint `opts` names and describes it; the caller disposes `encoder`. */
export async function prepareRun(runDir: string, opts: PrepareRunOptions = {}): Promise<PreparedRun> {
  const run = await openRun(runDir);
  return run.config.kind === 'pretrain' ? pretrainModel(run, opts) : finetuneModel(run, opts);
}

async function pretrainModel(run: Run, opts: PrepareRunOptions): Promise<PreparedRun> {
  const config = recordedPretrainConfig(run.config.trainer);
  const inputs = encoderInputs(config);
  const blocks = inputs.inputBlocks ?? [];
  if (opts.sensor && !blocks.includes(opts.sensor)) {
    throw new Error(`${run.dir}: the pretrained model has ${blocks.length ? `input blocks for ${blocks.join(', ')}` : 'no input blocks'}, not one for ${opts.sensor}`);
  }
  const preferred = [opts.sensor, opts.preferSensor, 's2' as const].find((s) => s !== undefined && blocks.includes(s));
  const sensor = preferred ?? blocks[0];
  const { checkpoint: ckpt, ref } = await runCheckpoint(run.dir, 'pretrain', opts.checkpoint);
  const encoderConfig: EncoderConfig = { depth: config.depth, ...inputs, head: { kind: 'projection', dim: MOCO_DIM } };
  const encoder = encoderFromWeights(encoderConfig, ckpt.model, ckpt.path);
  const preset: BandPresetId = sensor === undefined ? 'fusion-12' : sensor === 's2' ? 's2-10' : 's1';
  const keep = ([name]: [string, unknown]) => !name.startsWith('input.') || name.startsWith(`input.${sensor}.`);
  return {
    encoder,
    params: new Map([...encoder.params].filter(keep)),
    card: {
      architecture: `resnet${config.depth}`,
      ...cardInput(bandPreset(preset)),
      inputBlock: sensor === undefined ? null : `input.${sensor}`,
      task: 'features',
      classes: [],
      threshold: null,
      checkpoint: ref,
      training: { kind: 'pretrain', bestRule: BEST_RULE.pretrain, config: { ...config } },
    },
    async provenance() {
      const train = await selectPatches(loadPatchItems(config.catalog), { ...config.selection, requireS1: true });
      return { metrics: numbersOf(await epochRecordAt(run.dir, ref), ['epoch_loss', 'knn_top1']), splits: { pretrain: splitDigest(train.map((p) => p.id)) } };
    },
  };
}

async function finetuneModel(run: Run, opts: PrepareRunOptions): Promise<PreparedRun> {
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
  return {
    encoder: model.encoder,
    params: model.encoder.params,
    card: {
      architecture: `resnet${spec.depth}`,
      ...cardInput(bandPreset(preset)),
      inputBlock: spec.inputBlocks ? `input.${spec.input}` : null,
      task: spec.scheme === 'multi' ? 'multi-label' : 'single-label',
      classes: [...(spec.classes === 10 ? SIMPLIFIED_CLASSES : IGBP_CLASSES)],
      threshold: spec.scheme === 'multi' ? MULTI_LABEL_THRESHOLD : null,
      checkpoint: model.checkpoint,
      training: { kind: 'finetune', bestRule: BEST_RULE.finetune, config: { ...config } },
    },
    async provenance() {
      const items = loadPatchItems(config.catalog);
      const [train, val] = await Promise.all([finetuneSelection(items, config, 'train'), finetuneSelection(items, config, 'val')]);
      // The validation of the exported checkpoint itself: none for one saved mid-epoch.
      const report = (await epochRecordAt(run.dir, model.checkpoint))?.validation as MetricRecord | undefined;
      const metrics = Object.fromEntries(Object.entries(numbersOf(report, Object.keys(report ?? {}))).map(([k, v]) => [`val_${k}`, v]));
      return { metrics, splits: { train: splitDigest(train.map((p) => p.id)), val: splitDigest(val.map((p) => p.id)) } };
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
