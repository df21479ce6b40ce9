import * as tf from '@tensorflow/tfjs-core';
import { Encoder } from '../models/encoder.js';
import { saveCheckpoint, type LoadedCheckpoint } from '../runs/checkpoint.js';
import { loadCheckpointRef } from '../runs/checkpoint-select.js';
import type { CheckpointRef } from '../common/runs/checkpoint-ref.js';
import { resumePoint, type ResumeRun } from '../runs/resume.js';
import { appendMetrics } from '../runs/metrics-log.js';
import { plannedStopStep } from '../common/training/planned-steps.js';
import { restoreParams } from '../weights/restore-params.js';
import { createRun, openRun, type Run } from '../runs/run-dir.js';
import { appendLog } from '../runs/run-log.js';
import { batchesOf, epochOrder } from '../sampler/epoch-order.js';
import { loadPatchItems, type PatchItem } from '../sampler/patch-items.js';
import { TensorSource } from '../sampler/tensor-source.js';
import { multiHotTargets, singleTargets } from '../sampler/targets.js';
import { Rng } from '../util/rng.js';
import { classificationReport } from '../inference/class-report.js';
import { numericFields, type ClassificationReport } from '../common/metrics/report-types.js';
import { bceWithLogits, softmaxCrossEntropy } from './classification-loss.js';
import { classifierBatch, classifierEncoderConfig, classifierLogits, disposeBatch } from '../models/classifier.js';
import { classifierSpec, type ClassifierSpec, type FinetuneConfig, recordedFinetuneConfig, usesPretrained } from '../common/training/finetune-config.js';
import { applyFreeze, frozenModules, trainingMode } from './freeze.js';
import { Adam } from './optimizers.js';
import { optimizerSlotGroups } from './optimizer-slots.js';
import { scoreBatches } from '../inference/predict.js';
import { initFromPretrained, readPretrainedWeights, type PretrainedWeights } from '../weights/pretrained-init.js';
import { Throughput, type TrainHooks } from './progress.js';
import type { TrainOutcome } from '../common/training/progress.js';
import { learningRate } from './schedule.js';
import { BatchPrefetch } from './batch-prefetch.js';
import { freshLoop, loopState, trainOutcome } from './loop-state.js';
import { finetuneSelection } from '../sampler/finetune-selection.js';

export interface FinetuneOptions extends TrainHooks {
  /** Folder that receives a new run directory. */
  runsDir: string;
  /** Stop after this many steps in this call (tests and benchmarks); the run stays resumable. */
  maxSteps?: number;
}

/** The validation score that picks the `best` checkpoint, as in the research. */
export const BEST_METRIC = 'f1_micro';

/**
 * Supervised or MoCo-initialised finetuning for scene classification: Adam (PyTorch's rule),
 * step learning rate by epoch, validation after every epoch, `best` checkpoint by validation
 * micro-F1 (ties go to the later epoch). The data order depends only on (seed, epoch) and nothing
 * else is random after the initialisation, so a run resumed from a checkpoint continues exactly
 * as if it had never stopped, metrics.jsonl included. A new run's config.json records `start`, a
 * resolved config (finetuneConfigFor, resolveFinetuneConfig or a recorded one), with the
 * pretrained checkpoint it loaded and the modules it leaves frozen.
 */
export async function runFinetune(start: FinetuneConfig | ResumeRun, opts: FinetuneOptions): Promise<TrainOutcome> {
  const started = Date.now();
  let opened: Run | null = null;
  let config = start;
  if ('resume' in config) {
    opened = await openRun(config.resume);
    if (opened.config.kind !== 'finetune') throw new Error(`${opened.dir} is a ${opened.config.kind} run, not a finetuning run`);
    config = recordedFinetuneConfig(opened.config.trainer);
  }
  const pretrained = opened === null && usesPretrained(config.variant) ? await pretrainedWeights(config) : null;
  const spec = classifierSpec(config);

  const items = loadPatchItems(config.catalog);
  const train = await finetuneSelection(items, config, 'train');
  const val = await finetuneSelection(items, config, 'val');
  if (train.length < 2) throw new Error(`finetuning needs at least 2 training patches, ${train.length} selected`);
  if (val.length === 0) throw new Error('no validation patches selected: raise selection.valFraction or use a data set with more scenes');

  const encoder = Encoder.create(classifierEncoderConfig(spec, config.freeze !== 'none'), config.seed);
  applyFreeze(encoder, config.freeze);
  const frozen = frozenModules(encoder);
  if (config.frozen !== undefined && config.frozen.join() !== frozen.join()) {
    encoder.dispose();
    throw new Error(`${opened?.dir ?? 'finetune config'}: frozen records [${config.frozen}] but the settings freeze [${frozen}]`);
  }
  const names = encoder.trainableNames();
  const adam = new Adam(encoder.params, names, { weightDecay: config.weightDecay });
  const source = new TensorSource({ size: config.size });
  try {
    if (pretrained) initFromPretrained(encoder, spec, config.variant, pretrained.weights, (line) => pretrained.notes.push(line));
    const run = opened ?? (await newRun(opts.runsDir, { ...config, ...(pretrained ? { pretrainedCheckpoint: pretrained.weights.checkpoint } : {}), frozen }));
    // A one-sample batch cannot give BatchNorm statistics, so a last batch of one is skipped.
    const batchesOfEpoch = (epoch: number) =>
      batchesOf(epochOrder(train.length, config.seed, epoch), config.batchSize, false).filter((b) => b.length >= 2);
    const stepsPerEpoch = batchesOfEpoch(0).length;
    const totalSteps = stepsPerEpoch * config.epochs;
    const resumed = 'resume' in start ? await resumePoint(run, start.restart === true) : null;
    if (resumed) restore(encoder, adam, resumed, run, stepsPerEpoch);
    let step = resumed?.state.step ?? 0;
    const loop = resumed ? loopState(resumed) : freshLoop();
    const recorded = pretrained ? pretrained.weights.checkpoint : config.pretrainedCheckpoint;
    const done = (status: TrainOutcome['status']): TrainOutcome => ({
      ...trainOutcome(run.dir, status, { steps: step, stepsPerEpoch, finalLoss: loss, started }, loop.best, BEST_METRIC),
      ...(typeof recorded === 'object' ? { pretrainedCheckpoint: recorded } : {}),
    });
    if (resumed) await appendLog(run.dir, `resumed at step ${step} from ${resumed.path}`);
    else {
      for (const line of pretrained?.notes ?? []) await appendLog(run.dir, line);
      await appendLog(run.dir, `started: ${train.length} training and ${val.length} validation patches, ${totalSteps} steps, ${names.length} trainable tensors; frozen: ${frozen.join(', ') || 'nothing'}`);
    }

    const vars = names.map((n) => encoder.params.get(n)!);
    const paramOf = new Map(names.map((n) => [encoder.params.get(n)!.name, n]));
    const mode = trainingMode(config.freeze);
    const batchAt = (s: number) => batchesOfEpoch(Math.floor(s / stepsPerEpoch))[s % stepsPerEpoch].map((i) => train[i]);
    const checkpoint = (kind: 'periodic' | 'best' | 'cancel') =>
      saveCheckpoint(
        run.dir,
        kind,
        {
          step,
          epoch: Math.floor(step / stepsPerEpoch),
          rng: new Rng(config.seed).state(),
          dataOrder: { seed: config.seed, epoch: Math.floor(step / stepsPerEpoch), batch: step % stepsPerEpoch, stepsPerEpoch },
          configHash: run.configHash,
          extra: { epochLossSum: loop.epochLossSum, best: loop.best },
        },
        { model: encoder.params, optimizer: optimizerSlotGroups(adam) },
        { keepCheckpoints: config.keepCheckpoints },
      );

    const throughput = new Throughput();
    const stopAt = plannedStopStep(totalSteps, step, opts.maxSteps);
    let loss = NaN;
    const batches = new BatchPrefetch((s) => source.load(batchAt(s)), step, stopAt);
    while (step < stopAt) {
      const t0 = Date.now();
      const batchItems = batchAt(step);
      const arrays = await batches.take(step);
      const epoch = Math.floor(step / stepsPerEpoch);
      const lr = learningRate({ kind: 'step', baseLr: config.lr, stepSize: config.lrStepEpochs, gamma: config.lrGamma }, step, epoch);

      const batch = classifierBatch(arrays, spec.input);
      const targets = targetTensor(batchItems, spec);
      const { value, grads } = tf.variableGrads(() => {
        const logits = classifierLogits(encoder, spec, batch, mode);
        return spec.scheme === 'multi' ? bceWithLogits(logits, targets as tf.Tensor2D) : softmaxCrossEntropy(logits, targets as tf.Tensor1D);
      }, vars);
      const byParam = new Map<string, tf.Tensor>();
      for (const [varName, g] of Object.entries(grads)) byParam.set(paramOf.get(varName)!, g);
      adam.step(byParam, lr);
      loss = value.dataSync()[0];
      tf.dispose([value, targets, ...Object.values(grads)]);
      disposeBatch(batch);
      step++;
      loop.epochLossSum += loss;

      throughput.record(batchItems.length, (Date.now() - t0) / 1000);
      const ips = throughput.imagesPerSecond();
      await appendMetrics(run.dir, { step, epoch, loss, lr, images_per_second: ips });
      let validation: Record<string, number> | undefined;
      const epochDone = step % stepsPerEpoch === 0;
      if (epochDone) {
        const report = await validate(encoder, spec, source, val, config.batchSize);
        validation = numericFields(report);
        await appendMetrics(run.dir, { step, epoch, epoch_end: true, train_loss: loop.epochLossSum / stepsPerEpoch, validation: report });
        loop.epochLossSum = 0;
        if (loop.best === null || report.f1_micro >= loop.best.value) {
          loop.best = { value: report.f1_micro, step };
          await checkpoint('best');
        }
      }
      opts.onProgress?.({
        kind: 'finetune', runDir: run.dir, step, totalSteps, stopStep: stopAt, epoch, epochs: config.epochs, loss, lr,
        imagesPerSecond: ips, etaSeconds: throughput.etaSeconds(stopAt - step), ...(validation ? { validation } : {}),
      });
      if (epochDone || step % config.checkpointEvery === 0 || step === stopAt) await checkpoint('periodic');
      if (opts.signal?.aborted && step < totalSteps) {
        await batches.settle();
        await checkpoint('cancel');
        await appendLog(run.dir, `cancelled at step ${step}`);
        return done('cancelled');
      }
    }
    if (step >= totalSteps) await appendLog(run.dir, `completed ${totalSteps} steps; best validation ${BEST_METRIC} ${loop.best?.value} at step ${loop.best?.step}`);
    return done('completed');
  } finally {
    await source.close();
    adam.dispose();
    encoder.dispose();
  }
}

function newRun(runsDir: string, config: FinetuneConfig): Promise<Run> {
  return createRun(runsDir, {
    kind: 'finetune',
    seed: config.seed,
    ...(config.pretrained !== undefined ? { init: config.pretrained } : {}),
    trainer: { ...config },
  });
}

function targetTensor(items: PatchItem[], spec: ClassifierSpec): tf.Tensor {
  return spec.scheme === 'multi'
    ? tf.tensor2d(multiHotTargets(items, spec.classes), [items.length, spec.classes])
    : tf.tensor1d(singleTargets(items, spec.classes), 'int32');
}

async function validate(encoder: Encoder, spec: ClassifierSpec, source: TensorSource, val: PatchItem[], batchSize: number): Promise<ClassificationReport> {
  const scores = new Float32Array(val.length * spec.classes);
  let at = 0;
  for await (const batch of scoreBatches(encoder, spec, source, val, batchSize)) {
    scores.set(batch.scores, at);
    at += batch.scores.length;
  }
  return classificationReport(spec, val, scores);
}

/** The pretrained weights a new run starts from, and the log lines loading them gives. */
async function pretrainedWeights(config: FinetuneConfig): Promise<{ weights: PretrainedWeights; notes: string[] }> {
  const asked = config.pretrainedCheckpoint;
  const weights =
    typeof asked === 'object'
      ? await recordedPretrainedWeights(asked)
      : await readPretrainedWeights(config.pretrained!, asked);
  const { kind, step, epoch } = weights.checkpoint;
  return { weights, notes: [`initialised from ${weights.source} (${config.variant}): the pretrain's ${kind} checkpoint, step ${step}, epoch ${epoch}`] };
}

/** Exactly the checkpoint a config.json recorded, for a re-run from it. */
async function recordedPretrainedWeights(ref: CheckpointRef): Promise<PretrainedWeights> {
  const checkpoint = await loadCheckpointRef(ref);
  return { source: checkpoint.path, tensors: checkpoint.model, checkpoint: ref };
}

function restore(encoder: Encoder, adam: Adam, ckpt: LoadedCheckpoint, run: Run, stepsPerEpoch: number): void {
  if (ckpt.state.configHash !== run.configHash) {
    throw new Error(`${ckpt.path}: checkpoint belongs to another configuration of this run (config hash differs)`);
  }
  const saved = (ckpt.state.dataOrder as { stepsPerEpoch?: unknown } | null)?.stepsPerEpoch;
  if (saved !== stepsPerEpoch) {
    throw new Error(`${ckpt.path}: the training selection changed since this checkpoint (${stepsPerEpoch} steps per epoch now, ${saved} then); resuming would not continue the same run`);
  }
  restoreParams(encoder.params, ckpt.model, ckpt.path);
  const slots = new Map<string, tf.Tensor>();
  for (const [slot, params] of ckpt.optimizer) for (const [name, v] of params) slots.set(`${slot}.${name}`, tf.tensor(v.values, v.shape));
  adam.loadSlots(slots, ckpt.state.step);
  tf.dispose([...slots.values()]);
}
