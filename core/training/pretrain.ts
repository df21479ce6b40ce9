import * as tf from '@tensorflow/tfjs-core';
import { DatasetFileError } from '../util/file-error.js';
import type { HostTensor } from '../export/host-tensor.js';
import type { EncoderConfig } from '../models/encoder.js';
import { latestCheckpoint, saveCheckpoint, type LoadedCheckpoint } from '../runs/checkpoint.js';
import { appendMetrics } from '../runs/metrics-log.js';
import { appendLog } from '../runs/run-log.js';
import { createRun, openRun, type Run } from '../runs/run-dir.js';
import { augmentConfig } from '../sampler/augment.js';
import { batchesOf, epochOrder } from '../sampler/epoch-order.js';
import { disposePairs, makePairs, type PairOptions, type SensorBatch } from '../sampler/pairs.js';
import { loadPatchItems } from '../sampler/patch-items.js';
import { selectPatches } from '../sampler/selection.js';
import { TensorSource, type SensorArrays } from '../sampler/tensor-source.js';
import { Rng } from '../util/rng.js';
import type { TrainHooks, TrainOutcome } from './progress.js';
import { Throughput } from './progress.js';
import { resolvePretrainConfig, type PretrainConfig } from './pretrain-config.js';
import { learningRate } from './schedule.js';
import { groupSlots } from './optimizer-slots.js';
import type { MocoState } from './parallel/moco-state.js';
import { createMocoTrainer, type MocoTrainer } from './parallel/moco-trainer.js';
import { BatchPrefetch } from './batch-prefetch.js';

export interface PretrainOptions extends TrainHooks {
  /** Folder that receives the new run directory. */
  runsDir: string;
  /** Continue this run directory from its latest valid checkpoint instead of starting a new run. */
  resume?: string;
  /** Stop after this many steps in this call (tests and benchmarks); the run stays resumable. */
  maxSteps?: number;
}

/**
 * MoCo-v2 pretraining. Every random draw derives from (seed, step) — data order from
 * (seed, epoch), views from (seed, step) — so a run resumed from a checkpoint continues exactly
 * as if it had never stopped.
 */
export async function runPretrain(input: Partial<PretrainConfig> & { catalog: string }, opts: PretrainOptions): Promise<TrainOutcome> {
  const started = Date.now();
  const run = opts.resume ? await openRun(opts.resume) : await createRun(opts.runsDir, { kind: 'pretrain', seed: input.seed ?? 0, trainer: { ...resolvePretrainConfig(input) } });
  if (run.config.kind !== 'pretrain') throw new Error(`${run.dir} is a ${run.config.kind} run, not a pretraining run`);
  const config = resolvePretrainConfig(run.config.trainer as unknown as PretrainConfig);

  const items = await selectPatches(loadPatchItems(config.catalog), { ...config.selection, requireS1: true });
  if (items.length < config.batchSize) {
    throw new Error(`pretraining needs at least one full batch: ${items.length} patches selected, batch size ${config.batchSize}`);
  }
  const moco = await createMocoTrainer({ ...config, encoder: encoderInputs(config) }, config.seed, config.workers);
  const source = new TensorSource({ size: config.size });
  try {
    const stepsPerEpoch = Math.floor(items.length / config.batchSize);
    const totalSteps = stepsPerEpoch * config.epochs;
    const resumed = opts.resume ? await latestCheckpoint(run.dir) : null;
    if (resumed) await restore(moco, resumed, run);
    let step = resumed?.state.step ?? 0;
    let bestLoss = (resumed?.state.extra?.bestLoss as number | undefined) ?? Infinity;
    await appendLog(run.dir, resumed ? `resumed at step ${step} from ${resumed.path}` : `started: ${items.length} patches, ${totalSteps} steps`);

    const pairOptions: PairOptions = {
      strategy: config.strategy,
      augment: augmentConfig(config.aug, { elastic: config.elastic }),
      outSize: config.size,
      sensor: config.sensor,
      inputBlocks: config.inputBlocks,
    };
    const throughput = new Throughput();
    const batchAt = (s: number) => {
      const epoch = Math.floor(s / stepsPerEpoch);
      const order = epochOrder(items.length, config.seed, epoch);
      return batchesOf(order, config.batchSize, true)[s % stepsPerEpoch].map((i: number) => items[i]);
    };
    const stopAt = Math.min(totalSteps, opts.maxSteps === undefined ? totalSteps : step + opts.maxSteps);
    let epochLoss = 0;
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
      const batch = sensorBatch(arrays, config);
      const pairs = makePairs(batch, pairOptions, new Rng(config.seed).fork('views').fork(step));
      tf.dispose([batch.s1, batch.s2]);
      try {
        loss = (await moco.trainStep(pairs, lr)).loss;
      } finally {
        disposePairs(pairs);
      }
      step++;
      epochLoss += loss;
      throughput.record(config.batchSize, (Date.now() - t0) / 1000);
      const ips = throughput.imagesPerSecond();
      await appendMetrics(run.dir, { step, epoch, loss, lr, images_per_second: ips });
      opts.onProgress?.({
        kind: 'pretrain', runDir: run.dir, step, totalSteps, epoch, epochs: config.epochs, loss, lr,
        imagesPerSecond: ips, etaSeconds: throughput.etaSeconds(totalSteps - step),
      });
      const epochDone = step % stepsPerEpoch === 0;
      if (epochDone) {
        const mean = epochLoss / stepsPerEpoch;
        epochLoss = 0;
        await appendMetrics(run.dir, { epoch, epoch_loss: mean });
        if (mean < bestLoss) {
          bestLoss = mean;
          await save(moco, run, 'best', step, config, bestLoss, stepsPerEpoch);
        }
      }
      if (epochDone || step % config.checkpointEvery === 0 || step === stopAt) {
        await save(moco, run, 'periodic', step, config, bestLoss, stepsPerEpoch);
      }
      if (opts.signal?.aborted && step < totalSteps) {
        await batches.settle();
        await save(moco, run, 'cancel', step, config, bestLoss, stepsPerEpoch);
        await appendLog(run.dir, `cancelled at step ${step}`);
        return outcome(run, 'cancelled', step, stepsPerEpoch, loss, started);
      }
    }
    if (step >= totalSteps) await appendLog(run.dir, `completed ${totalSteps} steps`);
    return outcome(run, 'completed', step, stepsPerEpoch, loss, started);
  } finally {
    await source.close();
    await moco.dispose();
  }
}

/** The encoder inputs a pretraining config implies: per-sensor blocks or 12 raw channels. */
export function encoderInputs(config: PretrainConfig): Pick<EncoderConfig, 'inputBlocks' | 'inChannels' | 'freezeInputBlocks'> {
  if (!config.inputBlocks) return { inChannels: 12 };
  const blocks = config.strategy === 'augment' ? [config.sensor as 's1' | 's2'] : (['s1', 's2'] as const);
  return { inputBlocks: blocks, freezeInputBlocks: config.freezeInputBlocks };
}

/**
 * Tensors for one batch. Without input blocks a single-sensor `augment` run still feeds the
 * 12-channel fusion layout (the other sensor zero-filled), so every backbone sees 12 channels.
 */
function sensorBatch(a: SensorArrays, config: PretrainConfig): SensorBatch {
  const s2 = tf.tensor4d(a.s2, [a.n, a.size, a.size, 10]);
  const s1 = tf.tensor4d(a.s1, [a.n, a.size, a.size, 2]);
  if (config.strategy === 'augment' && !config.inputBlocks && config.sensor !== 'fusion') {
    const zeroed = config.sensor === 's2' ? s1 : s2;
    const kept = tf.zerosLike(zeroed);
    zeroed.dispose();
    return config.sensor === 's2' ? { s2, s1: kept as tf.Tensor4D } : { s2: kept as tf.Tensor4D, s1 };
  }
  return { s2, s1 };
}

/** The query encoder as the model, the key encoder and queue as extras: the layout existing runs resume from. */
async function save(moco: MocoTrainer, run: Run, kind: 'periodic' | 'best' | 'cancel', step: number, config: PretrainConfig, bestLoss: number, stepsPerEpoch: number) {
  const state = await moco.state();
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
      extra: { queuePointer: state.queuePointer, bestLoss: Number.isFinite(bestLoss) ? bestLoss : null },
    },
    { model: state.query, optimizer: groupSlots(state.slots), extra },
    { keepPeriodic: 3 },
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

function outcome(run: Run, status: TrainOutcome['status'], steps: number, stepsPerEpoch: number, finalLoss: number, started: number): TrainOutcome {
  return { runDir: run.dir, status, steps, epochs: Math.floor(steps / stepsPerEpoch), finalLoss, seconds: (Date.now() - started) / 1000 };
}

