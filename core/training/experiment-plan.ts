import { resolve } from 'node:path';
import { finetuneBackendFields, pretrainBackendFields, type BackendDefaults } from '../common/training/backend-defaults.js';
import { DEFAULT_CHECKPOINT, parseCheckpointSelector, type CheckpointRef, type CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { AUG_PRESETS, type AugPreset } from '../common/training/augment-presets.js';
import { viewAugment } from '../common/training/pair-strategies.js';
import { loadPatchItems } from '../sampler/patch-items.js';
import type { SubsetSpec } from '../common/sampler/selection-spec.js';
import { researchLabelList, smallRowLabels } from './experiment-labels.js';
import { type ExperimentSettings } from './experiment-results.js';
import { AUG_SETS, augPreset, EXPERIMENT_ROWS, isMocoRow, type AugSet, type ExperimentRow, type MocoRow } from '../common/training/research-table.js';
import { finetuneSelection } from '../sampler/finetune-selection.js';
import {
  FINETUNE_INPUTS,
  finetuneVariantFor,
  resolveFinetuneConfig,
  type FinetuneConfig,
  type FinetuneInput,
  type FinetuneSelection,
} from '../common/training/finetune-config.js';
import { resolvePretrainConfig, type PretrainConfig } from '../common/training/pretrain-config.js';
import type { TrainProgress } from '../common/training/progress.js';

export interface ExperimentOptions {
  catalog: string;
  /** Receives results.json, table.md, table.csv and runs/. */
  outDir: string;
  /** The blocks (one table each): aug set N pretrains the fusion rows with preset aug-set-N. Default 1, 2. */
  augSets?: AugSet[];
  /** Default: all six, in the research's order. */
  rows?: ExperimentRow[];
  /** Default: s1, s2, s1s2. */
  inputs?: FinetuneInput[];
  /** Each cell finetunes once per rate and reports the one best on validation. Default 1e-3, 1e-4, 1e-5. */
  lrs?: number[];
  /** The checkpoint of each pretrain the MoCo rows finetune from. Default: last. */
  checkpoint?: CheckpointSelector;
  /** Labels of the 1,024 rows instead of the rule (random or list). */
  labels?: SubsetSpec;
  /** The list the 1,024 rule takes when the catalog holds it. Default: the shipped train_list_1024.txt. */
  labelList?: string;
  /** The backend's defaults (core/common/training/backend-defaults.ts), under `pretrain` and `finetune`; absent: the draft's. */
  backend?: BackendDefaults;
  /** Shared by every row's pretrain; the experiment sets catalog, strategy, inputBlocks, sensor, aug and seed. */
  pretrain: Partial<PretrainConfig>;
  /** Shared by every cell's finetune; the experiment sets catalog, input, variant, pretrained, lr, selection and seed. */
  finetune: Partial<FinetuneConfig>;
  seed: number;
  /** Aborting stops the current run after its step (it resumes on the next call) and resolves. */
  signal?: AbortSignal;
  onProgress?(p: ExperimentProgress): void;
}

export interface ExperimentProgress {
  /** 1-based index of the cell being worked on, of `cells` in this call's grid (blocks x rows x inputs). */
  cell: number;
  cells: number;
  augSet: AugSet;
  row: ExperimentRow;
  input: FinetuneInput;
  /** A row's pretrain runs while its first unfinished cell is worked on. */
  phase: 'pretrain' | 'finetune' | 'evaluate';
  /** The finetune's learning rate. */
  lr?: number;
  /** Steps (training) or patches (evaluation) done in this phase, of `total`. */
  done: number;
  total: number;
  train?: TrainProgress;
}

/** The validated settings and grid of an experiment, the run configs of its cells and what they share. */
export interface ExperimentPlan {
  settings: ExperimentSettings;
  augSets: AugSet[];
  rows: ExperimentRow[];
  inputs: FinetuneInput[];
  lrs: number[];
  pretrain(row: MocoRow, augSet: AugSet): PretrainConfig;
  /** `pretrained`: the checkpoint of the row's pretrain, for the MoCo rows. */
  finetune(row: ExperimentRow, input: FinetuneInput, lr: number, pretrained: CheckpointRef | null): FinetuneConfig;
  /** Equal for the blocks a pretrain does not depend on (sensor pairs apply no augmentation). */
  pretrainKey(row: MocoRow, augSet: AugSet): string;
  /** The runs a cell needs: cells of different blocks with one key share them. */
  cellKey(augSet: AugSet, row: ExperimentRow, input: FinetuneInput): string;
  finetuneKey(cellKey: string, lr: number): string;
}

export const DEFAULT_AUG_SETS: readonly AugSet[] = [1, 2];
/** The research swept {1e-3, 5e-4, 1e-4, 5e-5, 1e-5}; every other rate of it by default. */
export const DEFAULT_LRS: readonly number[] = [1e-3, 1e-4, 1e-5];

/** Set (or derived) per row, block or cell; with the option to use instead where there is one. */
const PRETRAIN_SET: Readonly<Record<string, string>> = {
  catalog: '', strategy: '', inputBlocks: '', sensor: '', aug: 'augSets', seed: 'seed', views: '', frozen: '',
};
const FINETUNE_SET: Readonly<Record<string, string>> = {
  catalog: '', input: 'inputs', variant: '', pretrained: '', pretrainedCheckpoint: 'checkpoint', lr: 'lrs', selection: 'labels', seed: 'seed',
};

/** What a row's pretrain is made of: 1x1 input blocks for the sensor pairs, the 12-channel stack for fusion. */
function rowPretrain(row: MocoRow) {
  return { strategy: row, inputBlocks: row === 'sensor-pairs' };
}

/**
 * Checks the options (errors name the field), chooses the labels of the 1,024 rows from the
 * catalog and derives every run config, so that bad values fail before anything trains.
 */
export async function planExperiment(opts: ExperimentOptions): Promise<ExperimentPlan> {
  if (typeof opts.catalog !== 'string' || opts.catalog === '') throw new Error('catalog: give the catalog file of the data set');
  if (typeof opts.outDir !== 'string' || opts.outDir === '') throw new Error('outDir: give the folder for results and runs');
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) throw new Error(`seed: must be an integer in 0..4294967295, got ${opts.seed}`);
  const augSets = gridAxis('augSets', opts.augSets ?? DEFAULT_AUG_SETS, AUG_SETS);
  const rows = gridAxis('rows', opts.rows, EXPERIMENT_ROWS);
  const inputs = gridAxis('inputs', opts.inputs, FINETUNE_INPUTS);
  const lrs = learningRates(opts.lrs ?? DEFAULT_LRS);
  const checkpoint = parseCheckpointSelector(opts.checkpoint ?? DEFAULT_CHECKPOINT.pretrain, 'checkpoint');
  if (opts.labels !== undefined && opts.labels.kind !== 'random' && opts.labels.kind !== 'list') {
    throw new Error(`labels: the 1,024 rows take random or list labels (Supervised (full) has all), got ${JSON.stringify(opts.labels.kind)}`);
  }
  for (const [part, given, fixed] of [['pretrain', opts.pretrain, PRETRAIN_SET], ['finetune', opts.finetune, FINETUNE_SET]] as const) {
    const clash = Object.keys(fixed).find((k) => (given as Record<string, unknown>)[k] !== undefined);
    if (clash !== undefined) {
      throw new Error(`${part}.${clash}: set by the experiment for each row, block and cell; leave it out${fixed[clash] ? ` (the experiment's ${fixed[clash]} sets it)` : ''}`);
    }
  }
  if (opts.finetune.scheme !== undefined && opts.finetune.scheme !== 'multi') {
    throw new Error(`finetune.scheme: the experiment reproduces the research's multi-label table; got "${opts.finetune.scheme}"`);
  }
  const { pretrain: p, finetune: f } = opts;
  if (p.depth !== undefined && f.depth !== undefined && p.depth !== f.depth) {
    throw new Error(`pretrain.depth (${p.depth}) and finetune.depth (${f.depth}) differ: each finetune starts from its row's pretrained backbone`);
  }
  const depth = f.depth ?? p.depth;
  const catalog = resolve(opts.catalog);
  const { seed } = opts;
  const backend = opts.backend;
  const pretrainBase = {
    ...(backend ? pretrainBackendFields(backend) : {}),
    ...p,
    ...(depth !== undefined ? { depth } : {}),
    catalog,
    seed,
    selection: p.selection ?? { split: 'train' as const, seed },
  };
  const finetuneBase = { ...(backend ? finetuneBackendFields(backend) : {}), ...f, ...(depth !== undefined ? { depth } : {}), catalog, seed };

  // A strategy that ignores the preset (sensor pairs: the other sensor is the view) pretrains once
  // for every block, recorded as aug 'none'.
  const augOf = (row: MocoRow, augSet: AugSet): AugPreset =>
    viewAugment(row, AUG_PRESETS[augPreset(augSet)]) === AUG_PRESETS.none ? 'none' : augPreset(augSet);
  const pretrain = (row: MocoRow, augSet: AugSet) =>
    resolvePretrainConfig({ ...pretrainBase, ...rowPretrain(row), aug: augOf(row, augSet) });
  // The strategy-independent parts, resolved once so that bad values fail before any training.
  const strip = (config: object, keys: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(config).filter(([k]) => !(k in keys)));
  const pretrainSample = strip(pretrain('all-fusion', augSets[0]), PRETRAIN_SET);
  for (const row of rows.filter(isMocoRow)) for (const augSet of augSets) pretrain(row, augSet);
  const withSelection = (input: FinetuneInput, selection: FinetuneSelection) => resolveFinetuneConfig({ ...finetuneBase, input, lr: lrs[0], selection });
  const finetuneSample = withSelection('s2', {});

  const items = loadPatchItems(catalog);
  const labels = await smallRowLabels(items, {
    list: opts.labelList ?? researchLabelList(),
    ...(opts.labels ? { given: opts.labels } : {}),
    available: async (input) => (await finetuneSelection(items, withSelection(input, {}), 'train')).length,
  });
  for (const input of rows.some((r) => r !== 'supervised-full') ? inputs : []) {
    for (const split of ['train', 'val'] as const) {
      try {
        await finetuneSelection(items, withSelection(input, { subset: labels.subsets[input] }), split);
      } catch (err) {
        throw new Error(`labels: ${labels.note}, input ${input}: ${(err as Error).message}`);
      }
    }
  }

  const finetune = (row: ExperimentRow, input: FinetuneInput, lr: number, pretrained: CheckpointRef | null) =>
    resolveFinetuneConfig({
      ...finetuneBase,
      input,
      variant: finetuneVariantFor(isMocoRow(row) ? rowPretrain(row) : null),
      lr,
      selection: row === 'supervised-full' ? {} : { subset: labels.subsets[input] },
      ...(pretrained !== null ? { pretrained: pretrained.run, pretrainedCheckpoint: pretrained } : {}),
    });
  const pretrainKey = (row: MocoRow, augSet: AugSet) => `${row}/${augOf(row, augSet)}`;
  const settings: ExperimentSettings = {
    catalog,
    seed,
    lrs,
    checkpoint,
    labels,
    pretrain: pretrainSample,
    finetune: strip(finetuneSample, FINETUNE_SET),
  };
  return {
    settings,
    augSets,
    rows,
    inputs,
    lrs,
    pretrain,
    finetune,
    pretrainKey,
    cellKey: (augSet, row, input) => `${isMocoRow(row) ? pretrainKey(row, augSet) : row}/${input}`,
    finetuneKey: (cellKey, lr) => `${cellKey}/lr=${lr}`,
  };
}

function gridAxis<T extends string | number>(field: string, given: readonly T[] | undefined, allowed: readonly T[]): T[] {
  if (given === undefined) return [...allowed];
  if (!Array.isArray(given) || given.length === 0) throw new Error(`${field}: give at least one of ${allowed.join(', ')}`);
  const unknown = given.filter((g) => !allowed.includes(g));
  if (unknown.length > 0) throw new Error(`${field}: unknown "${unknown[0]}"; expected ${allowed.join(', ')}`);
  if (new Set(given).size !== given.length) throw new Error(`${field}: listed twice: ${given.find((g, i) => given.indexOf(g) !== i)}`);
  return allowed.filter((a) => given.includes(a));
}

/** In the order given: on equal validation scores the earlier rate wins. */
function learningRates(given: readonly number[]): number[] {
  if (!Array.isArray(given) || given.length === 0) throw new Error('lrs: give at least one learning rate');
  const bad = given.find((lr) => typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0);
  if (bad !== undefined) throw new Error(`lrs: learning rates must be positive numbers, got ${bad}`);
  if (new Set(given).size !== given.length) throw new Error(`lrs: listed twice: ${given.find((g, i) => given.indexOf(g) !== i)}`);
  return [...given];
}
