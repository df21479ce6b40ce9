/**
 * The training form and its presets: the research's settings, the defaults the CLI uses without
 * a GPU, and a demo that visibly learns in a few minutes on two cores. The form turns into the
 * job options the service checks, and is checked, one phase at a time, with the job spec's own checks.
 */
import { jobSpecProblems, type FinetuneJobOptions, type JobInfo, type PretrainJobOptions } from '#common/jobs/job-spec.js';
import type { CheckpointSelector } from '#common/api/contract.js';
import { RESNET_DEPTHS, type ResNetDepth } from '#common/training/model-options.js';
import { STRATEGY_TITLES, type PairStrategy } from '#common/training/pair-strategies.js';
import { CPU_BACKEND_DEFAULTS, NATIVE_BACKEND_DEFAULTS, type BackendDefaults } from '#common/training/backend-defaults.js';
import { PRETRAIN_DEFAULTS, pretrainHasInputBlocks } from '#common/training/pretrain-config.js';
import { DEFAULT_SUBSET_CHOICE, subsetChoiceProblems, subsetText, type SubsetChoice } from '#common/training/subset-choice.js';
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
  /** Which patches train; made into the CLI's subset text (all, random:N, one-per-scene, ...). */
  subset: SubsetChoice;
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
  /** What the preset is for and what to expect, shown under the choice. */
  note: string;
  form: TrainForm;
}

const shared = { strategy: 'sensor-pairs', input: 's2', scheme: 'multi', subset: DEFAULT_SUBSET_CHOICE, trainInputBlocks: false } as const;

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
    title: 'Demo (ResNet-10, 32 px, 32 patches, a few minutes)',
    note:
      '32 random patches (whatever the data set holds), 15 pretraining epochs of 4 steps and 5 finetuning epochs: ' +
      'a few minutes on two cores. The pretrain loss jumps over its first steps while the queue fills with real keys, ' +
      'then falls; the finetune loss falls from the first step.',
    form: {
      ...shared,
      depth: 10,
      size: 32,
      // A fixed number of patches, so the demo's steps do not grow with the data set.
      subset: { ...DEFAULT_SUBSET_CHOICE, kind: 'random', n: 32 },
      maxSteps: null,
      // Two batches: the queue holds real keys from the third step on, and the loss can then fall
      // (measured on the embedded sample: epoch loss 2.82 after the queue filled, 2.45 at epoch 10).
      queueSize: 16,
      pretrain: { epochs: 15, batchSize: 8, lr: PRETRAIN_DEFAULTS.lr },
      finetune: { epochs: 5, batchSize: 8, lr: FINETUNE_DEFAULTS.lr },
    },
  },
  {
    id: 'cpu',
    title: 'CPU-friendly (ResNet-18, 64 px)',
    note: 'The defaults the CLI uses without a GPU: every patch, the research\'s epochs. Hours to days on a laptop; set Max steps to try it.',
    form: defaultsForm(CPU_BACKEND_DEFAULTS),
  },
  {
    id: 'research',
    title: 'Research (ResNet-50, 256 px, needs a GPU)',
    note: "The research's settings: ResNet-50 at 256 px, batch 64, a 65,536-key queue. Practical only with tfjs-node-gpu on a CUDA GPU.",
    form: defaultsForm(NATIVE_BACKEND_DEFAULTS),
  },
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

export type Phase = 'pretrain' | 'finetune';

/** The form's fields that a job option comes from; epochs, batch and rate are a phase's own. */
export const FORM_FIELDS = ['strategy', 'depth', 'input', 'scheme', 'size', 'subset', 'maxSteps', 'queueSize', 'epochs', 'batchSize', 'lr'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export const PHASE_FIELDS: readonly FormField[] = ['epochs', 'batchSize', 'lr'];

/** What is wrong with one phase's job, by the form field to show it next to; `other` names none. */
export type FieldProblems = Partial<Record<FormField | 'other', string[]>>;

/**
 * What is wrong with one phase's job as the form would send it, by field: the subset's number or
 * file, then the job spec's own problems (schema, subset syntax, what its config refuses) with
 * `spec.options.<field>: ` taken off. Each phase is checked alone, so a faulty pretrain field
 * never holds back a finetune. A list file's existence is the service's to check.
 */
export function phaseProblems(form: TrainForm, phase: Phase): FieldProblems {
  const problems: FieldProblems = {};
  const add = (field: FormField | 'other', message: string) => {
    const list = (problems[field] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  const subset = subsetChoiceProblems(form.subset);
  for (const message of subset) add('subset', message);
  const options = phase === 'pretrain' ? pretrainOptions(form) : finetuneOptions(form, null);
  // The service fills in the data set's catalog; any path stands in for it here.
  for (const problem of jobSpecProblems({ kind: phase, catalog: 'catalog', options })) {
    const [, field, why] = /^spec\.options\.(\w+)(?:\.\S*)?: (.*)$/s.exec(problem) ?? [];
    if (field === 'subset' && subset.length > 0) continue;
    if (field !== undefined && (FORM_FIELDS as readonly string[]).includes(field)) add(field as FormField, why);
    else add('other', problem);
  }
  return problems;
}

/** Every problem of a phase, one list (empty: the phase's button may start the job). */
export function problemList(problems: FieldProblems): string[] {
  return Object.values(problems).flat();
}

/** A shared field's problems over both phases, each once. */
export function sharedFieldProblems(byPhase: Record<Phase, FieldProblems>, field: FormField): string[] {
  return [...new Set([...(byPhase.pretrain[field] ?? []), ...(byPhase.finetune[field] ?? [])])];
}

function runFields(form: TrainForm): { subset?: string; maxSteps?: number } {
  const subset = subsetText(form.subset);
  return {
    ...(subset !== 'all' ? { subset } : {}),
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
