import { resolve } from 'node:path';
import { backendDefaults, finetuneConfigFor } from '../../common/training/backend-defaults.js';
import { recordedFinetuneConfig, type FinetuneSettings } from '../../common/training/finetune-config.js';
import { subsetTextFromHere } from '../../sampler/subset-text.js';
import { runFinetune } from '../../training/finetune.js';
import { checkpointOption, parseCommandLine, UsageError, untilInterrupted } from '../args.js';
import { progressBar } from '../progress.js';
import { RUN_OPTIONS, integerOption, numberOption, runSource, trainingBackend, trainingStart } from '../training-options.js';

export const summary =
  'Finetunes a scene classifier (supervised or from a MoCo pretrain) on a catalogued data set, validating every epoch. Prints one JSON line when done.';
export const usage = `sen12ms-studio finetune <catalog.sqlite> [--input s1|s2|s1s2] [--scheme multi|single] [--classes 10|17]
    [--variant supervised|supervised-1x1|moco|moco-1x1|moco-1x1-rnd] [--pretrained <run-or-model-dir>] [--checkpoint last|best|step-N]
    [--freeze none|linear|stage-1|stage-2|stage-3|stage-4] [--depth 10|18|34|50] [--epochs N] [--batch-size N] [--lr X]
    [--size PX] [--subset all|random:N|random-seasons:N|one-per-scene|non-overlapping|list:<file>] [--list <file>] [--val-fraction F] [--checkpoint-every N] [--keep-checkpoints K] [--max-steps N] [--runs <dir>] [--resume <run-dir>]
    [--seed S] [--backend tfjs-node-gpu|tfjs-node|wasm]
sen12ms-studio finetune --resume <run-dir> [--restart] [--max-steps N] [--backend ...]
sen12ms-studio finetune --config <run-dir>/config.json [--runs <dir>] [--max-steps N] [--backend ...]
    --checkpoint: which checkpoint of a --pretrained run (default last); config.json records the one loaded.
    The best checkpoint is the highest validation micro-F1, ties to the later epoch.
    --keep-checkpoints K: older periodic checkpoints kept besides last and best (default 2); config.json records it.`;

const OPTIONS = {
  input: { type: 'string' },
  scheme: { type: 'string' },
  classes: { type: 'string' },
  variant: { type: 'string' },
  pretrained: { type: 'string' },
  checkpoint: { type: 'string' },
  freeze: { type: 'string' },
  list: { type: 'string' },
  subset: { type: 'string' },
  ...RUN_OPTIONS,
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  const from = runSource(v, positionals);
  const maxSteps = integerOption(v['max-steps'], 'max-steps');
  if (maxSteps !== undefined && maxSteps < 1) throw new UsageError(`--max-steps must be at least 1, got ${maxSteps}`);
  const backend = await trainingBackend(v.backend);
  process.stderr.write(`backend: ${backend.name} (${backend.reason})\n`);
  const start = await trainingStart(from, v, 'finetune', recordedFinetuneConfig, () =>
    finetuneConfigFor(resolve(positionals[0]), settingsOf(v), backendDefaults(backend)),
  );

  const bar = progressBar('finetune');
  const result = await untilInterrupted((signal) =>
    runFinetune(start, {
      runsDir: resolve(v.runs ?? 'runs'),
      maxSteps,
      signal,
      onProgress: (p) => {
        const val = p.validation ? ` val f1_micro ${p.validation.f1_micro.toFixed(4)}` : '';
        bar.update(p.step, p.totalSteps, `loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} ${p.imagesPerSecond.toFixed(1)} img/s${val}`);
      },
    }),
  );
  bar.done();
  process.stdout.write(
    JSON.stringify({
      run: result.runDir,
      status: result.status,
      steps: result.steps,
      epochs: result.epochs,
      best: result.best ?? null,
      pretrainedCheckpoint: result.pretrainedCheckpoint ?? null,
      loss: result.finalLoss,
      backend: backend.name,
      seconds: result.seconds,
    }) + '\n',
  );
  return 0;
}

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

/** The run-shaping flags, as the settings an app's finetune job takes too. */
function settingsOf(v: Values): FinetuneSettings {
  if (v.checkpoint !== undefined && v.pretrained === undefined) throw new UsageError('--checkpoint names a checkpoint of --pretrained <run-dir>; give --pretrained');
  const subset = v.list !== undefined ? `list:${v.list}` : v.subset;
  return {
    input: v.input as FinetuneSettings['input'],
    scheme: v.scheme as FinetuneSettings['scheme'],
    classes: integerOption(v.classes, 'classes') as FinetuneSettings['classes'],
    variant: v.variant as FinetuneSettings['variant'],
    pretrained: v.pretrained === undefined ? undefined : resolve(v.pretrained),
    checkpoint: checkpointOption(v.checkpoint),
    freeze: v.freeze as FinetuneSettings['freeze'],
    depth: integerOption(v.depth, 'depth') as FinetuneSettings['depth'],
    epochs: integerOption(v.epochs, 'epochs'),
    batchSize: integerOption(v['batch-size'], 'batch-size'),
    lr: numberOption(v.lr, 'lr'),
    size: integerOption(v.size, 'size'),
    subset: subset === undefined ? undefined : subsetTextFromHere(subset),
    valFraction: numberOption(v['val-fraction'], 'val-fraction'),
    checkpointEvery: integerOption(v['checkpoint-every'], 'checkpoint-every'),
    keepCheckpoints: integerOption(v['keep-checkpoints'], 'keep-checkpoints'),
    seed: integerOption(v.seed, 'seed'),
  };
}
