import { resolve } from 'node:path';
import type { CheckpointSelector } from '../../common/runs/checkpoint-ref.js';
import { AUG_SETS, EXPERIMENT_ROWS, type AugSet, type ExperimentRow } from '../../common/training/research-table.js';
import { DEFAULT_AUG_SETS, DEFAULT_LRS, planExperiment, type ExperimentOptions, type ExperimentProgress } from '../../training/experiment-plan.js';
import { runExperiment } from '../../training/experiment.js';
import { FINETUNE_INPUTS, type FinetuneConfig, type FinetuneInput } from '../../common/training/finetune-config.js';
import { backendDefaults } from '../../common/training/backend-defaults.js';
import type { PretrainConfig } from '../../common/training/pretrain-config.js';
import { parseCommandLine, UsageError, asUsageError, untilInterrupted } from '../args.js';
import { progressBar, type Progress } from '../progress.js';
import { BACKEND_OPTION, integerOption, numberOption, parseSubset, trainingBackend } from '../training-options.js';

export const summary =
  "Reproduces the research's results tables, one per aug set: MoCo pretrains (sensor pairs once, fusion rows per aug set), per cell a finetune per learning rate, the one best on validation evaluated on the test split; writes results.json, table.md and table.csv and resumes where it stopped. Prints one JSON line when done.";
export const usage = `sen12ms-studio experiment <catalog.sqlite> --out <dir> [--aug-sets ${DEFAULT_AUG_SETS.join(',')}] (of ${AUG_SETS.join(', ')})
    [--rows ${EXPERIMENT_ROWS.join(',')}] [--inputs s1,s2,s1s2] [--lrs ${DEFAULT_LRS.map((lr) => lr.toExponential()).join(',')}]
    [--checkpoint last|best|step-N] (the pretrain checkpoint the MoCo rows finetune from; default last)
    [--labels random:N|list:<file>] (labels of the 1,024 rows; default train_list_1024.txt when the catalog holds it, else random 1,024)
    [--depth 10|18|34|50] [--size PX] [--pretrain-epochs N] [--finetune-epochs N] [--batch-size N]
    [--queue-size N] [--key-momentum M] (small data sets learn with a queue below their size and m 0.99)
    [--freeze none|linear|stage-1|stage-2|stage-3|stage-4] [--seed S] [--backend tfjs-node-gpu|tfjs-node|wasm|cpu]`;

const OPTIONS = {
  out: { type: 'string' },
  'aug-sets': { type: 'string' },
  rows: { type: 'string' },
  inputs: { type: 'string' },
  lrs: { type: 'string' },
  checkpoint: { type: 'string' },
  depth: { type: 'string' },
  size: { type: 'string' },
  'pretrain-epochs': { type: 'string' },
  'queue-size': { type: 'string' },
  'key-momentum': { type: 'string' },
  'finetune-epochs': { type: 'string' },
  'batch-size': { type: 'string' },
  labels: { type: 'string' },
  freeze: { type: 'string' },
  seed: { type: 'string' },
  ...BACKEND_OPTION,
} as const;

function commaList<T extends string | number>(text: string | undefined, name: string, allowed: readonly T[]): T[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((s) => s.trim());
  const bad = items.find((s) => !allowed.map(String).includes(s));
  if (bad !== undefined) throw new UsageError(`--${name}: unknown "${bad}"; expected a comma-separated list of ${allowed.join(', ')}`);
  return items.map((s) => allowed.find((a) => String(a) === s)!);
}

function numberList(text: string | undefined, name: string): number[] | undefined {
  return text?.split(',').map((s) => numberOption(s.trim(), name)!);
}

/** `--labels`: the 1,024 rows' labels instead of the research's list (or its random stand-in). */
function labels(text: string | undefined): ExperimentOptions['labels'] {
  if (text === undefined) return undefined;
  if (!/^(random:\d+|list:.+)$/.test(text)) throw new UsageError(`--labels: expected random:N or list:<file>, got "${text}"`);
  return parseSubset(text);
}

/** One bar per phase of a cell, so each shows its own steps and ETA. */
function phaseBars(): { update(p: ExperimentProgress): void; done(): void } {
  let bar: Progress | null = null;
  let current = '';
  return {
    update(p) {
      const label = `cell ${p.cell}/${p.cells} aug set ${p.augSet} ${p.row} ${p.input} ${p.phase}${p.lr !== undefined ? ` lr ${p.lr.toExponential()}` : ''}`;
      if (label !== current) {
        bar?.done();
        bar = progressBar(label);
        current = label;
      }
      bar!.update(p.done, p.total, p.train ? `loss ${p.train.loss.toFixed(4)} ${p.train.imagesPerSecond.toFixed(1)} img/s` : '');
    },
    done() {
      bar?.done();
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError(`expected one catalog file, got ${positionals.length} arguments`);
  if (!v.out) throw new UsageError('--out <dir> is required: it receives the results, the tables and the runs');
  const augSets = commaList<AugSet>(v['aug-sets'], 'aug-sets', AUG_SETS);
  const rows = commaList<ExperimentRow>(v.rows, 'rows', EXPERIMENT_ROWS);
  const inputs = commaList<FinetuneInput>(v.inputs, 'inputs', FINETUNE_INPUTS);
  const lrs = numberList(v.lrs, 'lrs');
  const seed = integerOption(v.seed, 'seed') ?? 0;
  const depth = integerOption(v.depth, 'depth');
  const size = integerOption(v.size, 'size');
  const batchSize = integerOption(v['batch-size'], 'batch-size');
  const chosenLabels = labels(v.labels);
  const backend = await trainingBackend(v.backend);
  process.stderr.write(`backend: ${backend.name} (${backend.reason})\n`);

  // Given once for both phases; what is not given the plan fills from the backend's defaults, as pretrain and finetune do.
  const shared = { depth: depth as PretrainConfig['depth'] | undefined, size, batchSize };
  const pretrain: Partial<PretrainConfig> = {
    ...shared,
    epochs: integerOption(v['pretrain-epochs'], 'pretrain-epochs'),
    queueSize: integerOption(v['queue-size'], 'queue-size'),
    keyMomentum: numberOption(v['key-momentum'], 'key-momentum'),
  };
  const finetune: Partial<FinetuneConfig> = {
    ...shared,
    epochs: integerOption(v['finetune-epochs'], 'finetune-epochs'),
    freeze: v.freeze as FinetuneConfig['freeze'] | undefined,
  };
  for (const part of [pretrain, finetune] as Record<string, unknown>[]) {
    for (const key of Object.keys(part)) if (part[key] === undefined) delete part[key];
  }
  const opts: ExperimentOptions = {
    catalog: resolve(positionals[0]),
    outDir: resolve(v.out),
    ...(augSets ? { augSets } : {}),
    ...(rows ? { rows } : {}),
    ...(inputs ? { inputs } : {}),
    ...(lrs ? { lrs } : {}),
    ...(v.checkpoint !== undefined ? { checkpoint: v.checkpoint as CheckpointSelector } : {}),
    ...(chosenLabels ? { labels: chosenLabels } : {}),
    backend: backendDefaults(backend),
    pretrain,
    finetune,
    seed,
  };
  await asUsageError(() => planExperiment(opts));

  const bars = phaseBars();
  const result = await untilInterrupted((signal) => runExperiment({ ...opts, signal, onProgress: (p) => bars.update(p) }));
  bars.done();
  process.stdout.write(
    JSON.stringify({ out: result.outDir, status: result.status, cells: result.cells.length, table: result.table, seconds: result.seconds }) + '\n',
  );
  return 0;
}
