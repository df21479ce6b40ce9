import { resolve } from 'node:path';
import { backendDefaults, pretrainConfigFor } from '../../common/training/backend-defaults.js';
import { recordedPretrainConfig, type PretrainSettings } from '../../common/training/pretrain-config.js';
import { subsetTextFromHere } from '../../sampler/subset-text.js';
import { runPretrain } from '../../training/pretrain.js';
import { parseCommandLine, UsageError, untilInterrupted } from '../args.js';
import { progressBar } from '../progress.js';
import { RUN_OPTIONS, integerOption, numberOption, runSource, trainingBackend, trainingStart } from '../training-options.js';

export const summary =
  'MoCo-v2 pretraining on a catalogued data set: sensor pairs, augmentation or fusion strategies. Prints one JSON line when done.';

export const usage = `sen12ms-studio pretrain <catalog.sqlite> [--strategy sensor-pairs|sensor-pairs+augment|augment|all-fusion|partial-fusion|optional-fusion]
    [--sensor s1|s2|fusion] [--no-input-blocks] [--train-input-blocks] [--depth 10|18|34|50] [--epochs N] [--batch-size N]
    [--lr X] [--warmup-epochs N] [--queue-size N] [--key-momentum M] [--temperature T] [--size PX] [--aug none|aug-set-1|aug-set-2|aug-set-3]
    [--elastic] [--subset all|random:N|random-seasons:N|one-per-scene|non-overlapping|list:<file>] [--val-fraction F]
    [--knn-k N] [--knn-bank N] [--knn-val N] [--no-knn] [--checkpoint-every N] [--keep-checkpoints K] [--max-steps N] [--runs <dir>] [--seed S]
    [--backend tfjs-node-gpu|tfjs-node|wasm] [--workers N]
sen12ms-studio pretrain --resume <run-dir> [--restart] [--max-steps N] [--backend ...]
sen12ms-studio pretrain --config <run-dir>/config.json [--runs <dir>] [--max-steps N] [--backend ...]
    The 1x1 input blocks are frozen, as in the research, unless --train-input-blocks; sensor-pairs augments
    nothing (the other sensor is the view): use sensor-pairs+augment for --aug. Each epoch a k-NN monitor
    (top-1 of --knn-val validation patches against --knn-bank train patches, k --knn-k) keeps the best
    checkpoint; consumers use the last one unless told otherwise. --resume refuses a run without a valid
    checkpoint unless --restart. --config starts a new run with a recorded run's settings (same weights).
    --workers N: data-parallel replicas on N worker threads (1-16, default 1; each needs 2 rows of the batch)
    --keep-checkpoints K: older periodic checkpoints kept besides last and best (default 2); config.json records it`;

const OPTIONS = {
  strategy: { type: 'string' },
  sensor: { type: 'string' },
  'no-input-blocks': { type: 'boolean' },
  'train-input-blocks': { type: 'boolean' },
  'warmup-epochs': { type: 'string' },
  'queue-size': { type: 'string' },
  'key-momentum': { type: 'string' },
  temperature: { type: 'string' },
  aug: { type: 'string' },
  elastic: { type: 'boolean' },
  subset: { type: 'string' },
  'knn-k': { type: 'string' },
  'knn-bank': { type: 'string' },
  'knn-val': { type: 'string' },
  'no-knn': { type: 'boolean' },
  workers: { type: 'string' },
  ...RUN_OPTIONS,
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  const from = runSource(v, positionals);
  const backend = await trainingBackend(v.backend);
  process.stderr.write(`backend: ${backend.name} (${backend.reason})\n`);
  const start = await trainingStart(from, v, 'pretrain', recordedPretrainConfig, () =>
    pretrainConfigFor(resolve(positionals[0]), settingsOf(v), backendDefaults(backend)),
  );
  const bar = progressBar('pretrain');
  const result = await untilInterrupted((signal) =>
    runPretrain(start, {
      runsDir: resolve(v.runs ?? 'runs'),
      maxSteps: integerOption(v['max-steps'], 'max-steps'),
      signal,
      onProgress: (p) => {
        const knn = p.validation ? ` k-NN top-1 ${p.validation.knn_top1.toFixed(4)}` : '';
        bar.update(p.step, p.totalSteps, `loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} ${p.imagesPerSecond.toFixed(1)} img/s${knn}`);
      },
    }),
  );
  bar.done();
  process.stdout.write(
    JSON.stringify({
      run: result.runDir, status: result.status, steps: result.steps, epochs: result.epochs, best: result.best ?? null,
      loss: result.finalLoss, backend: backend.name, seconds: result.seconds,
    }) + '\n',
  );
  return 0;
}

type Values = ReturnType<typeof parseCommandLine<typeof OPTIONS>>['values'];

/** The run-shaping flags, as the settings an app's pretrain job takes too. */
function settingsOf(v: Values): PretrainSettings {
  const knnGiven = ['knn-k', 'knn-bank', 'knn-val'].filter((k) => v[k as keyof Values] !== undefined);
  if (v['no-knn'] && knnGiven.length > 0) throw new UsageError(`--no-knn turns the monitor off; drop --${knnGiven.join(', --')}`);
  return {
    strategy: v.strategy as PretrainSettings['strategy'],
    sensor: v.sensor as PretrainSettings['sensor'],
    inputBlocks: v['no-input-blocks'] ? false : undefined,
    freezeInputBlocks: v['train-input-blocks'] ? false : undefined,
    depth: integerOption(v.depth, 'depth') as PretrainSettings['depth'],
    epochs: integerOption(v.epochs, 'epochs'),
    batchSize: integerOption(v['batch-size'], 'batch-size'),
    lr: numberOption(v.lr, 'lr'),
    warmupEpochs: integerOption(v['warmup-epochs'], 'warmup-epochs'),
    queueSize: integerOption(v['queue-size'], 'queue-size'),
    keyMomentum: numberOption(v['key-momentum'], 'key-momentum'),
    temperature: numberOption(v.temperature, 'temperature'),
    size: integerOption(v.size, 'size'),
    aug: v.aug as PretrainSettings['aug'],
    elastic: v.elastic,
    subset: v.subset === undefined ? undefined : subsetTextFromHere(v.subset),
    valFraction: numberOption(v['val-fraction'], 'val-fraction'),
    knn: v['no-knn'] ? null : { k: integerOption(v['knn-k'], 'knn-k'), bank: integerOption(v['knn-bank'], 'knn-bank'), val: integerOption(v['knn-val'], 'knn-val') },
    checkpointEvery: integerOption(v['checkpoint-every'], 'checkpoint-every'),
    keepCheckpoints: integerOption(v['keep-checkpoints'], 'keep-checkpoints'),
    seed: integerOption(v.seed, 'seed'),
    workers: integerOption(v.workers, 'workers'),
  };
}
