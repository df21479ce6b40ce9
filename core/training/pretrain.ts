import * as tf from '@tensorflow/tfjs-core';
import { DatasetFileError } from '../common/util/file-error.js';
import type { HostTensor } from '../formats/host-tensor.js';
import { saveCheckpoint, type LoadedCheckpoint } from '../runs/checkpoint.js';
import { BEST_RULE } from '../common/runs/checkpoint-ref.js';
import { resumePoint, type ResumeRun } from '../runs/resume.js';
import { appendMetrics } from '../runs/metrics-log.js';
import { plannedStopStep } from '../common/training/planned-steps.js';
import { appendLog } from '../runs/run-log.js';
import { createRun, openRun, type Run } from '../runs/run-dir.js';
import { batchesOf, epochOrder } from '../sampler/epoch-order.js';
import { disposePairs, makePairs, type SensorBatch } from '../sampler/pairs.js';
import { loadPatchItems } from '../sampler/patch-items.js';
import { selectPatches } from '../sampler/selection.js';
import { TensorSource, type SensorArrays } from '../sampler/tensor-source.js';
import { Rng } from '../util/rng.js';
import { Throughput, type TrainHooks } from './progress.js';
import type { TrainOutcome } from '../common/training/progress.js';
import { pairOptions, recordedPretrainConfig, type PretrainConfig } from '../common/training/pretrain-config.js';
import { KnnMonitor } from './knn-monitor.js';
import { freshLoop, loopState, trainOutcome, type LoopState } from './loop-state.js';
import { learningRate } from './schedule.js';
import { groupSlots } from './optimizer-slots.js';
import type { MocoState } from './parallel/moco-state.js';
import { createMocoTrainer } from './parallel/create-moco-trainer.js';
import type { MocoTrainer } from './parallel/moco-trainer.js';
import { BatchPrefetch } from './batch-prefetch.js';
import { encoderInputs } from '../models/encoder-inputs.js';

export interface PretrainOptions extends TrainHooks {
  /** Folder that receives a new run directory. */
  runsDir: string;
  /** Stop after this many steps in this call (tests and benchmarks); the run stays resumable. */
  maxSteps?: number;
}

/**
 * MoCo-v2 pretraining. Every random draw derives from (seed, step) — data order from
 * (seed, epoch), views from (seed, step) — so a run resumed from a checkpoint continues exactly
 * as if it had never stopped, metrics.jsonl included. Consumers take the last checkpoint by
 * default; `best` is kept only by the k-NN monitor (the InfoNCE loss is no measure of quality).
 * A new run records `start`, a resolved config (pretrainConfigFor, resolvePretrainConfig or a
 * recorded one), as its config.json and trains exactly that.
 */
export async function runPretrain(start: PretrainConfig | ResumeRun, opts: PretrainOptions): Promise<TrainOutcome> {
  const started = Date.now();
  const resuming = 'resume' in start;
  const run: Run = resuming ? await openRun(start.resume) : await createRun(opts.runsDir, { kind: 'pretrain', seed: start.seed, trainer: { ...start } });
  if (run.config.kind !== 'pretrain') throw new Error(`${run.dir} is a ${run.config.kind} run, not a pretraining run`);
  const config = resuming ? recordedPretrainConfig(run.config.trainer) : start;

  const all = loadPatchItems(config.catalog);
  const items = await selectPatches(all, { ...config.selection, requireS1: true });
  if (items.length < config.batchSize) {
    throw new Error(`pretraining needs at least one full batch: ${items.length} patches selected, batch size ${config.batchSize}`);
  }
  const encoder = { depth: config.depth, ...encoderInputs(config) };
  // The monitor's validation patches: the held-out scenes (or a list's validation part), whatever subset trains.
  const valSubset = config.selection.subset?.kind === 'list' ? config.selection.subset : { kind: 'all' as const };
  const val = config.knn ? await selectPatches(all, { ...config.selection, subset: valSubset, split: 'val', requireS1: true }) : [];
  const knn = config.knn && KnnMonitor.create(config.knn, items, val, config.seed);
  const resumed = resuming ? await resumePoint(run, start.restart === true) : null;
  const moco = await createMocoTrainer({ ...config, encoder }, config.seed, config.workers);
  const source = new TensorSource({ size: config.size });
  try {
    const stepsPerEpoch = Math.floor(items.length / config.batchSize);
    const totalSteps = stepsPerEpoch * config.epochs;
    if (resumed) await restore(moco, resumed, run);
    let step = resumed?.state.step ?? 0;
    const loop = resumed ? loopState(resumed) : freshLoop();
    const done = (status: TrainOutcome['status']) =>
      trainOutcome(run.dir, status, { steps: step, stepsPerEpoch, finalLoss: loss, started }, loop.best, 'knn_top1');
    await appendLog(run.dir, resumed ? `resumed at step ${step} from ${resumed.path}` : `started: ${items.length} patches, ${totalSteps} steps`);
    if (!resumed) {
      await appendLog(
        run.dir,
        knn
          ? `k-NN monitor: top-1 of ${knn.sizes.val} validation patches against ${knn.sizes.bank} train patches, k ${knn.sizes.k}; best = ${BEST_RULE.pretrain}`
          : `k-NN monitor off (${config.knn ? 'no validation patches in the selection' : 'knn: null'}): the run keeps no best checkpoint`,
      );
    }

    const pairs = pairOptions(config);
    const throughput = new Throughput();
    const batchAt = (s: number) => {
      const epoch = Math.floor(s / stepsPerEpoch);
      const order = epochOrder(items.length, config.seed, epoch);
      return batchesOf(order, config.batchSize, true)[s % stepsPerEpoch].map((i: number) => items[i]);
    };
    const save = async (kind: 'periodic' | 'best' | 'cancel', state?: MocoState) =>
      saveState(state ?? (await moco.state()), run, kind, step, config, loop, stepsPerEpoch);
    const stopAt = plannedStopStep(totalSteps, step, opts.maxSteps);
    let loss = NaN;
    const batches = new BatchPrefetch((s) => source.load(batchAt(s)), step, stopAt);
    while (step < stopAt) {
      const t0 = Date.now();
      const arrays = await batches.take(step);
      const epoch = Math.floor(step / stepsPerEpoch);
      const lr = learningRate(
        { kind: 'cosine', baseLr: config.lr, totalSteps, warmupSteps: config.warmupEpochs * stepsPerEpoch },
        step,
      );
      const batch = sensorBatch(arrays);
      const views = makePairs(batch, pairs, new Rng(config.seed).fork('views').fork(step));
      tf.dispose([batch.s1, batch.s2]);
      try {
        loss = (await moco.trainStep(views, lr)).loss;
      } finally {
        disposePairs(views);
      }
      step++;
      loop.epochLossSum += loss;
      throughput.record(config.batchSize, (Date.now() - t0) / 1000);
      const ips = throughput.imagesPerSecond();
      await appendMetrics(run.dir, { step, epoch, loss, lr, images_per_second: ips });
      let validation: Record<string, number> | undefined;
      const epochDone = step % stepsPerEpoch === 0;
      if (epochDone) {
        const state = await moco.state();
        const knnTop1 = knn ? await knn.accuracy(state.query, encoder, source, config.batchSize) : undefined;
        await appendMetrics(run.dir, { step, epoch, epoch_end: true, epoch_loss: loop.epochLossSum / stepsPerEpoch, ...(knnTop1 === undefined ? {} : { knn_top1: knnTop1 }) });
        loop.epochLossSum = 0;
        if (knnTop1 !== undefined) {
          validation = { knn_top1: knnTop1 };
          if (loop.best === null || knnTop1 >= loop.best.value) {
            loop.best = { value: knnTop1, step };
            await save('best', state);
          }
        }
        await save('periodic', state);
      } else if (step % config.checkpointEvery === 0 || step === stopAt) {
        await save('periodic');
      }
      opts.onProgress?.({
        kind: 'pretrain', runDir: run.dir, step, totalSteps, stopStep: stopAt, epoch, epochs: config.epochs, loss, lr,
        imagesPerSecond: ips, etaSeconds: throughput.etaSeconds(stopAt - step), ...(validation ? { validation } : {}),
      });
      if (opts.signal?.aborted && step < totalSteps) {
        await batches.settle();
        await save('cancel');
        await appendLog(run.dir, `cancelled at step ${step}`);
        return done('cancelled');
      }
    }
    if (step >= totalSteps) {
      const best = loop.best ? `; best k-NN top-1 ${loop.best.value} at step ${loop.best.step}` : '';
      await appendLog(run.dir, `completed ${totalSteps} steps${best}; consumers use the last checkpoint (step ${step}) unless told otherwise`);
    }
    return done('completed');
  } finally {
    await source.close();
    await moco.dispose();
  }
}

/** Tensors for one batch; pairs.ts builds each strategy's views from both sensors. */
function sensorBatch(a: SensorArrays): SensorBatch {
  return { s2: tf.tensor4d(a.s2, [a.n, a.size, a.size, 10]), s1: tf.tensor4d(a.s1, [a.n, a.size, a.size, 2]) };
}

/** The query encoder as the model, the key encoder and queue as extras: the layout existing runs resume from. */
async function saveState(state: MocoState, run: Run, kind: 'periodic' | 'best' | 'cancel', step: number, config: PretrainConfig, loop: LoopState, stepsPerEpoch: number) {
  const extra = new Map<string, HostTensor>([['queue', state.queue]]);
  for (const [name, v] of state.key) extra.set(`key.${name}`, v);
  await saveCheckpoint(
    run.dir,
    kind,
    {
      step,
      epoch: Math.floor(step / stepsPerEpoch),
      rng: new Rng(config.seed).state(),
      dataOrder: { seed: config.seed, step, stepsPerEpoch },
      configHash: run.configHash,
      extra: { queuePointer: state.queuePointer, epochLossSum: loop.epochLossSum, best: loop.best },
    },
    { model: state.query, optimizer: groupSlots(state.slots), extra },
    { keepCheckpoints: config.keepCheckpoints },
  );
}

async function restore(moco: MocoTrainer, ckpt: LoadedCheckpoint, run: Run): Promise<void> {
  if (ckpt.state.configHash !== run.configHash) {
    throw new Error(`${ckpt.path}: checkpoint belongs to another configuration of this run (config hash differs)`);
  }
  const queue = ckpt.extra.get('queue');
  if (!queue) throw new DatasetFileError(ckpt.path, 'no MoCo queue in the checkpoint');
  const queuePointer = ckpt.state.extra?.queuePointer;
  if (typeof queuePointer !== 'number') throw new DatasetFileError(ckpt.path, 'no MoCo queue pointer in the checkpoint state');
  const state: MocoState = {
    query: ckpt.model,
    key: new Map([...ckpt.extra].filter(([n]) => n.startsWith('key.')).map(([n, v]) => [n.slice(4), v])),
    slots: new Map([...ckpt.optimizer].flatMap(([slot, params]) => [...params].map(([name, v]) => [`${slot}.${name}`, v] as const))),
    // One optimizer step per training step.
    stepCount: ckpt.state.step,
    queue,
    queuePointer,
  };
  await moco.restore(state, ckpt.path);
}
