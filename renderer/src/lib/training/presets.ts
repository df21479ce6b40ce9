/**
 * The training form and its presets: the research's settings (SEN12MS-FACTS.md), the CPU-friendly
 * defaults the CLI uses without a GPU (core/training/backend-defaults.ts) and a tiny demo that
 * finishes in about a minute. Types come from core so a renamed option fails to compile here;
 * the lists are spelled out because the modules holding them import TensorFlow.js.
 */
import type { FinetuneJobOptions, JobInfo, PretrainJobOptions } from '#common/jobs/job-spec.js';
import type { CheckpointSelector } from '#common/api/contract.js';
import { RESNET_DEPTHS, type ResNetDepth } from '#common/training/model-options.js';
import { STRATEGY_TITLES, type PairStrategy } from '#common/training/pair-strategies.js';
import { FINETUNE_INPUTS, type FinetuneInput, type FinetuneVariant, type LabelScheme } from '#common/training/finetune-config.js';

export const STRATEGIES = Object.keys(STRATEGY_TITLES) as PairStrategy[];
export const DEPTHS = [...RESNET_DEPTHS];
export const INPUTS = [...FINETUNE_INPUTS];

/** Epochs, batch size and learning rate differ between pretraining (SGD) and finetuning (Adam). */
export interface PhaseSettings {
  epochs: number;
  batchSize: number;
  lr: number;
}

export interface TrainForm {
  strategy: PairStrategy;
  depth: ResNetDepth;
  input: FinetuneInput;
  scheme: LabelScheme;
  /** Patch side in pixels. */
  size: number;
  /** The CLI's subset syntax (all, random:N, one-per-scene, ...). */
  subset: string;
  /** Steps per start of a job; null runs every epoch. */
  maxSteps: number | null;
  /** MoCo queue length; null keeps the service's default. */
  queueSize: number | null;
  /** Train the per-sensor 1x1 input blocks; the research keeps them frozen (the service's default). */
  trainInputBlocks: boolean;
  pretrain: PhaseSettings;
  finetune: PhaseSettings;
}

export interface TrainPreset {
  id: 'tiny-demo' | 'cpu' | 'research';
  title: string;
  form: TrainForm;
}

const shared = { strategy: 'sensor-pairs', input: 's2', scheme: 'multi', subset: 'all', trainInputBlocks: false } as const;

export const PRESETS: readonly TrainPreset[] = [
  {
    id: 'tiny-demo',
    title: 'Tiny demo (ResNet-10, 32 px, a few steps)',
    form: {
      ...shared,
      depth: 10,
      size: 32,
      // A whole epoch of the embedded sample (pretrain 4 steps, finetune 5), so each run is
      // validated once and keeps a best checkpoint; still a few steps on a full data set.
      maxSteps: 6,
      // A queue of a few batches: enough negatives for the loss to mean something in 4 steps.
      queueSize: 64,
      pretrain: { epochs: 1, batchSize: 8, lr: 0.03 },
      finetune: { epochs: 1, batchSize: 8, lr: 1e-3 },
    },
  },
  {
    id: 'cpu',
    title: 'CPU-friendly (ResNet-18, 64 px)',
    form: {
      ...shared,
      depth: 18,
      size: 64,
      maxSteps: null,
      queueSize: 4096,
      pretrain: { epochs: 20, batchSize: 32, lr: 0.03 },
      finetune: { epochs: 100, batchSize: 64, lr: 1e-3 },
    },
  },
  {
    id: 'research',
    title: 'Research (ResNet-50, 256 px, needs a GPU)',
    form: {
      ...shared,
      depth: 50,
      size: 256,
      maxSteps: null,
      queueSize: 65536,
      pretrain: { epochs: 20, batchSize: 64, lr: 0.03 },
      finetune: { epochs: 100, batchSize: 64, lr: 1e-3 },
    },
  },
];

export function presetForm(id: TrainPreset['id']): TrainForm {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset "${id}"`);
  return structuredClone(preset.form);
}

const isFusion = (s: PairStrategy) => s.endsWith('fusion');

/** Whether a strategy goes through per-sensor 1x1 input blocks (fusion feeds the 12-channel stack). */
export function hasInputBlocks(form: Pick<TrainForm, 'strategy' | 'input'>): boolean {
  return !isFusion(form.strategy) && !(form.strategy === 'augment' && form.input === 's1s2');
}

/** What is wrong with the form, one line per field; empty when it can be submitted. */
export function formProblems(form: TrainForm): string[] {
  const problems: string[] = [];
  const int = (v: number, min: number, name: string) => {
    if (!Number.isInteger(v) || v < min) problems.push(`${name} must be a whole number of at least ${min}`);
  };
  int(form.size, 8, 'Size');
  if (form.size > 256) problems.push('Size must be at most 256 px');
  for (const phase of ['pretrain', 'finetune'] as const) {
    const s = form[phase];
    int(s.epochs, 1, `${phase} epochs`);
    int(s.batchSize, 2, `${phase} batch size`);
    if (!(s.lr > 0)) problems.push(`${phase} learning rate must be above 0`);
  }
  if (form.maxSteps !== null) int(form.maxSteps, 1, 'Max steps');
  if (form.queueSize !== null) int(form.queueSize, 1, 'Queue size');
  if (form.subset.trim() === '') problems.push('Subset must not be empty (use "all")');
  return problems;
}

function runFields(form: TrainForm): { subset?: string; maxSteps?: number } {
  return {
    ...(form.subset.trim() !== 'all' ? { subset: form.subset.trim() } : {}),
    ...(form.maxSteps !== null ? { maxSteps: form.maxSteps } : {}),
  };
}

/** `jobs.start` options of kind 'pretrain'. */
export function pretrainOptions(form: TrainForm): PretrainJobOptions {
  return {
    strategy: form.strategy,
    // Only the augment strategy reads one input for both views; the others fix their inputs.
    ...(form.strategy === 'augment' ? { sensor: form.input === 's1s2' ? 'fusion' : form.input } : {}),
    depth: form.depth,
    size: form.size,
    ...form.pretrain,
    ...(form.queueSize !== null ? { queueSize: form.queueSize } : {}),
    ...(form.trainInputBlocks && hasInputBlocks(form) ? { freezeInputBlocks: false } : {}),
    ...runFields(form),
  };
}

/**
 * The research's variant for a start point: random weights (supervised) or a MoCo pretrain, whose
 * 1x1 input blocks are kept when it had them (sensor strategies) — fusion pretrains had none.
 */
export function finetuneVariant(pretrain: JobInfo | null): FinetuneVariant {
  if (pretrain === null) return 'supervised';
  const options = pretrain.spec.options as PretrainJobOptions;
  return isFusion(options.strategy ?? 'sensor-pairs') ? 'moco' : 'moco-1x1';
}

/**
 * `jobs.start` options of kind 'finetune', from random weights or a finished pretrain job and
 * the checkpoint of it chosen (absent: the pretrain's default).
 */
export function finetuneOptions(form: TrainForm, pretrain: JobInfo | null, checkpoint?: CheckpointSelector): FinetuneJobOptions {
  const pretrainDepth = pretrain ? (pretrain.spec.options as PretrainJobOptions).depth : undefined;
  return {
    variant: finetuneVariant(pretrain),
    ...(pretrain ? { pretrained: pretrain.id, ...(checkpoint ? { checkpoint } : {}) } : {}),
    input: form.input,
    scheme: form.scheme,
    // The backbone must match the pretrained weights.
    depth: pretrainDepth ?? form.depth,
    size: form.size,
    ...form.finetune,
    ...runFields(form),
  };
}
