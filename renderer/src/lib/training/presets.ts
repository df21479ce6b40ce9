/**
 * The training form and its presets: the research's settings, the defaults the CLI uses without
 * a GPU, and a tiny demo that finishes in about a minute. The form turns into the job options
 * the service checks, and is checked with the job spec's own schema.
 */
import { jobSpecFieldProblems, type FinetuneJobOptions, type JobInfo, type PretrainJobOptions } from '#common/jobs/job-spec.js';
import type { CheckpointSelector } from '#common/api/contract.js';
import { RESNET_DEPTHS, type ResNetDepth } from '#common/training/model-options.js';
import { STRATEGY_TITLES, type PairStrategy } from '#common/training/pair-strategies.js';
import { CPU_BACKEND_DEFAULTS, NATIVE_BACKEND_DEFAULTS, type BackendDefaults } from '#common/training/backend-defaults.js';
import { PRETRAIN_DEFAULTS, pretrainHasInputBlocks } from '#common/training/pretrain-config.js';
import { FINETUNE_DEFAULTS, FINETUNE_INPUTS, finetuneVariantFor, type FinetuneInput, type FinetuneVariant, type LabelScheme } from '#common/training/finetune-config.js';

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

/** The form a backend's defaults give, with the research's epochs, rates and finetuning batch. */
function defaultsForm(defaults: BackendDefaults): TrainForm {
  return {
    ...shared,
    depth: defaults.depth,
    size: defaults.size,
    maxSteps: null,
    queueSize: defaults.queueSize,
    pretrain: { epochs: PRETRAIN_DEFAULTS.epochs, batchSize: defaults.batchSize, lr: PRETRAIN_DEFAULTS.lr },
    finetune: { epochs: FINETUNE_DEFAULTS.epochs, batchSize: FINETUNE_DEFAULTS.batchSize, lr: FINETUNE_DEFAULTS.lr },
  };
}

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
      pretrain: { epochs: 1, batchSize: 8, lr: PRETRAIN_DEFAULTS.lr },
      finetune: { epochs: 1, batchSize: 8, lr: FINETUNE_DEFAULTS.lr },
    },
  },
  { id: 'cpu', title: 'CPU-friendly (ResNet-18, 64 px)', form: defaultsForm(CPU_BACKEND_DEFAULTS) },
  { id: 'research', title: 'Research (ResNet-50, 256 px, needs a GPU)', form: defaultsForm(NATIVE_BACKEND_DEFAULTS) },
];

export function presetForm(id: TrainPreset['id']): TrainForm {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset "${id}"`);
  return structuredClone(preset.form);
}

/** The augment strategy's one input for both views; s1+s2 is the 12-channel fusion input. */
function pretrainSensor(form: Pick<TrainForm, 'input'>): PretrainJobOptions['sensor'] {
  return form.input === 's1s2' ? 'fusion' : form.input;
}

/** Whether the form's pretrain goes through per-sensor 1x1 input blocks (fusion feeds the 12-channel stack). */
export function hasInputBlocks(form: Pick<TrainForm, 'strategy' | 'input'>): boolean {
  return pretrainHasInputBlocks({ strategy: form.strategy, sensor: pretrainSensor(form) });
}

/** The form's label of each job option; a phase's own settings (epochs, batch, rate) also name the phase. */
const LABELS: Record<string, string> = {
  strategy: 'Strategy',
  depth: 'Architecture',
  input: 'Input',
  scheme: 'Labels',
  size: 'Size',
  subset: 'Subset',
  maxSteps: 'Max steps',
  queueSize: 'Queue size',
  epochs: 'epochs',
  batchSize: 'batch size',
  lr: 'learning rate',
};

/**
 * What is wrong with the form, one line per field: the job spec's field problems with the options
 * the form makes, under the form's labels. What only a whole spec shows (a subset's syntax, a
 * combination the config refuses) the service refuses when the job is sent, naming the field.
 */
export function formProblems(form: TrainForm): string[] {
  const problems = new Set<string>();
  for (const phase of ['pretrain', 'finetune'] as const) {
    const options = phase === 'pretrain' ? pretrainOptions(form) : finetuneOptions(form, null);
    // The service fills in the data set's catalog; any path stands in for it here.
    for (const problem of jobSpecFieldProblems({ kind: phase, catalog: 'catalog', options })) {
      const [, field, why] = /^spec\.options\.(\w+)(.*)$/.exec(problem) ?? [];
      if (field === undefined || !(field in LABELS)) problems.add(problem);
      else problems.add(`${field in form[phase] ? `${phase} ` : ''}${LABELS[field]}${why}`);
    }
  }
  return [...problems];
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
    ...(form.strategy === 'augment' ? { sensor: pretrainSensor(form) } : {}),
    depth: form.depth,
    size: form.size,
    ...form.pretrain,
    ...(form.queueSize !== null ? { queueSize: form.queueSize } : {}),
    ...(form.trainInputBlocks && hasInputBlocks(form) ? { freezeInputBlocks: false } : {}),
    ...runFields(form),
  };
}

/** The options of a pretrain job (null for another kind of job, or none). */
function pretrainJobOptions(job: JobInfo | null): PretrainJobOptions | null {
  return job?.spec.kind === 'pretrain' ? job.spec.options : null;
}

/** The research's variant for a start point: supervised from random weights, else by the pretrain's input blocks. */
export function finetuneVariant(pretrain: JobInfo | null): FinetuneVariant {
  return finetuneVariantFor(pretrainJobOptions(pretrain));
}

/**
 * `jobs.start` options of kind 'finetune', from random weights or a finished pretrain job and
 * the checkpoint of it chosen (absent: the pretrain's default).
 */
export function finetuneOptions(form: TrainForm, pretrain: JobInfo | null, checkpoint?: CheckpointSelector): FinetuneJobOptions {
  return {
    variant: finetuneVariant(pretrain),
    ...(pretrain ? { pretrained: pretrain.id, ...(checkpoint ? { checkpoint } : {}) } : {}),
    input: form.input,
    scheme: form.scheme,
    // The backbone must match the pretrained weights.
    depth: pretrainJobOptions(pretrain)?.depth ?? form.depth,
    size: form.size,
    ...form.finetune,
    ...runFields(form),
  };
}
