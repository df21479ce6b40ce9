import { resolve } from 'node:path';
import { backendDefaults } from '../../training/backend-defaults.js';
import type { PretrainConfig } from '../../training/pretrain-config.js';
import { runPretrain } from '../../training/pretrain.js';
import { parseCommandLine, UsageError } from '../args.js';
import { progressBar } from '../progress.js';
import { RUN_OPTIONS, integerOption, numberOption, parseSubset, trainingBackend } from '../training-options.js';

export const summary =
  'MoCo-v2 pretraining on a catalogued data set: sensor pairs, augmentation or fusion strategies. Prints one JSON line when done.';
export const usage = `sen12ms-studio pretrain <catalog.sqlite> [--strategy sensor-pairs|sensor-pairs+augment|augment|all-fusion|partial-fusion|optional-fusion]
    [--sensor s1|s2|fusion] [--no-input-blocks] [--freeze-input-blocks] [--depth 10|18|34|50] [--epochs N] [--batch-size N]
    [--lr X] [--warmup-epochs N] [--queue-size N] [--key-momentum M] [--temperature T] [--size PX] [--aug none|aug-set-1|aug-set-2|aug-set-3]
    [--elastic] [--subset all|random:N|random-seasons:N|one-per-scene|non-overlapping|list:<file>] [--val-fraction F]
    [--checkpoint-every N] [--max-steps N] [--runs <dir>] [--resume <run-dir>] [--seed S] [--backend tfjs-node-gpu|tfjs-node|wasm]
    [--workers N]   data-parallel replicas on N worker threads (1-16, default 1; each needs 2 rows of the batch; fixed for the run)`;

const OPTIONS = {
  strategy: { type: 'string' },
  sensor: { type: 'string' },
  'no-input-blocks': { type: 'boolean' },
  'freeze-input-blocks': { type: 'boolean' },
  'warmup-epochs': { type: 'string' },
  'queue-size': { type: 'string' },
  'key-momentum': { type: 'string' },
  temperature: { type: 'string' },
  aug: { type: 'string' },
  elastic: { type: 'boolean' },
  subset: { type: 'string' },
  workers: { type: 'string' },
  ...RUN_OPTIONS,
} as const;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1 && !v.resume) throw new UsageError('expected one catalog file (or --resume <run-dir>)');
  const backend = await trainingBackend(v.backend);
  const defaults = backendDefaults(backend);
  process.stderr.write(`backend: ${backend.name} (${backend.reason})\n`);
  const seed = integerOption(v.seed, 'seed') ?? 0;
  const config: Partial<PretrainConfig> & { catalog: string } = {
    catalog: positionals[0] ? resolve(positionals[0]) : '',
    strategy: v.strategy as PretrainConfig['strategy'] | undefined,
    sensor: v.sensor as PretrainConfig['sensor'] | undefined,
    inputBlocks: v['no-input-blocks'] ? false : undefined,
    freezeInputBlocks: v['freeze-input-blocks'] ?? undefined,
    depth: (integerOption(v.depth, 'depth') ?? defaults.depth) as PretrainConfig['depth'],
    epochs: integerOption(v.epochs, 'epochs'),
    batchSize: integerOption(v['batch-size'], 'batch-size') ?? defaults.batchSize,
    lr: numberOption(v.lr, 'lr'),
    warmupEpochs: integerOption(v['warmup-epochs'], 'warmup-epochs'),
    queueSize: integerOption(v['queue-size'], 'queue-size') ?? defaults.queueSize,
    keyMomentum: numberOption(v['key-momentum'], 'key-momentum'),
    temperature: numberOption(v.temperature, 'temperature'),
    size: integerOption(v.size, 'size') ?? defaults.size,
    aug: v.aug as PretrainConfig['aug'] | undefined,
    elastic: v.elastic ?? undefined,
    selection: { split: 'train', subset: parseSubset(v.subset), valFraction: numberOption(v['val-fraction'], 'val-fraction'), seed },
    checkpointEvery: integerOption(v['checkpoint-every'], 'checkpoint-every'),
    seed,
    workers: integerOption(v.workers, 'workers'),
  };
  for (const key of Object.keys(config) as (keyof typeof config)[]) if (config[key] === undefined) delete config[key];
  const bar = progressBar('pretrain');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const result = await runPretrain(config, {
      runsDir: resolve(v.runs ?? 'runs'),
      resume: v.resume ? resolve(v.resume) : undefined,
      maxSteps: integerOption(v['max-steps'], 'max-steps'),
      signal: controller.signal,
      onProgress: (p) => bar.update(p.step, p.totalSteps, `loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)} ${p.imagesPerSecond.toFixed(1)} img/s`),
    });
    bar.done();
    process.stdout.write(
      JSON.stringify({ run: result.runDir, status: result.status, steps: result.steps, epochs: result.epochs, loss: result.finalLoss, backend: backend.name, seconds: result.seconds }) + '\n',
    );
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
  }
}
