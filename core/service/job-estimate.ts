/**
 * `jobs.estimate`: before a training job starts, the backend its process would load, the steps it
 * will really run on this data set's selection, and a step time measured on this machine: the
 * wall time of finished jobs with the same configuration (model, input, batch, queue, backend),
 * else of another configuration, scaled by compute.
 */
import type { JobInfo, JobSpec } from '../common/jobs/job-spec.js';
import { backendDefaults, finetuneConfigFor, pretrainConfigFor } from '../common/training/backend-defaults.js';
import { computeCost, stepSecondsOf, stepsToRun, type BackendGuess, type JobEstimate, type StepTimeSource } from '../common/training/estimate.js';
import type { TrainOutcome } from '../common/training/progress.js';
import { finetuneSelection } from '../sampler/finetune-selection.js';
import { loadPatchItems } from '../sampler/patch-items.js';
import { selectPatches } from '../sampler/selection.js';

type TrainSpec = Extract<JobSpec, { kind: 'pretrain' | 'finetune' }>;

/** Jobs whose wall time is averaged: the newest few, so a slower past (another backend build) fades out. */
const MEASURED_JOBS = 3;

/** The settings a step's time depends on, defaults filled in as the job would run them. */
function configurationOf(spec: TrainSpec, backend: BackendGuess) {
  const defaults = backendDefaults({ tfBackend: backend.backend === 'wasm' || backend.backend === null ? 'wasm' : 'tensorflow' });
  const backendName = spec.options.backend ?? backend.backend;
  if (spec.kind === 'pretrain') {
    const c = pretrainConfigFor(spec.catalog, spec.options, defaults);
    return { backendName, depth: c.depth, size: c.size, batchSize: c.batchSize, rest: [c.queueSize, c.strategy, c.sensor, c.inputBlocks, c.workers, c.knn] };
  }
  const c = finetuneConfigFor(spec.catalog, spec.options, defaults);
  return { backendName, depth: c.depth, size: c.size, batchSize: c.batchSize, rest: [c.input, c.freeze] };
}

/** What a step's time depends on, besides the machine; jobs that agree on it share a step time. */
function configurationKey(spec: TrainSpec, backend: BackendGuess): string {
  const c = configurationOf(spec, backend);
  return JSON.stringify([spec.kind, c.backendName, c.depth, c.size, c.batchSize, ...c.rest]);
}

/** Patches a start trains on and its steps per epoch, as the trainer counts them. */
async function stepsPerEpoch(spec: TrainSpec, backend: BackendGuess): Promise<{ patches: number; batchSize: number; stepsPerEpoch: number; epochs: number }> {
  const defaults = backendDefaults({ tfBackend: backend.backend === 'wasm' || backend.backend === null ? 'wasm' : 'tensorflow' });
  const items = loadPatchItems(spec.catalog);
  if (spec.kind === 'pretrain') {
    const config = pretrainConfigFor(spec.catalog, spec.options, defaults);
    const patches = (await selectPatches(items, { ...config.selection, requireS1: true })).length;
    return { patches, batchSize: config.batchSize, stepsPerEpoch: Math.floor(patches / config.batchSize), epochs: config.epochs };
  }
  const config = finetuneConfigFor(spec.catalog, spec.options, defaults);
  const patches = (await finetuneSelection(items, config, 'train')).length;
  // The trainer skips a last batch of one (BatchNorm needs two rows).
  const spe = Math.floor(patches / config.batchSize) + (patches % config.batchSize >= 2 ? 1 : 0);
  return { patches, batchSize: config.batchSize, stepsPerEpoch: spe, epochs: config.epochs };
}

/** Finished jobs of this kind whose outcome says how many steps ran in how long, newest first. */
function timedJobs(kind: TrainSpec['kind'], jobs: readonly JobInfo[]): JobInfo[] {
  return jobs
    .filter((j) => j.kind === kind && j.state === 'completed' && j.result !== null)
    .filter((j) => {
      const r = j.result as Partial<TrainOutcome>;
      return typeof r.steps === 'number' && r.steps > 0 && typeof r.seconds === 'number' && r.seconds > 0;
    })
    .sort((a, b) => ((a.endedAt ?? '') < (b.endedAt ?? '') ? 1 : -1));
}

function sourceOf(measured: JobInfo[]): StepTimeSource {
  const outcome = (j: JobInfo) => j.result as TrainOutcome;
  return { jobs: measured.map((j) => j.id), steps: measured.reduce((n, j) => n + outcome(j).steps, 0), seconds: measured.reduce((s, j) => s + outcome(j).seconds, 0) };
}

/**
 * The newest finished jobs with the same configuration, and their steps and seconds. Without
 * one, the newest finished job of the same kind and backend, its step time scaled by the ratio of
 * compute per step (a rough figure, and said to be one), so a first run of a configuration is
 * not launched blind once anything (the demo) has run here.
 */
export function measuredStepTime(spec: TrainSpec, jobs: readonly JobInfo[], backend: BackendGuess): StepTimeSource | null {
  const key = configurationKey(spec, backend);
  const timed = timedJobs(spec.kind, jobs);
  const keyOf = (j: JobInfo) => {
    try {
      return configurationKey(j.spec as TrainSpec, backend);
    } catch {
      return null;
    }
  };
  const same = timed.filter((j) => keyOf(j) === key).slice(0, MEASURED_JOBS);
  if (same.length > 0) return sourceOf(same);
  const target = configurationOf(spec, backend);
  const nearest = timed.find((j) => {
    try {
      return configurationOf(j.spec as TrainSpec, backend).backendName === target.backendName;
    } catch {
      return false;
    }
  });
  if (!nearest) return null;
  const from = configurationOf(nearest.spec as TrainSpec, backend);
  const factor = computeCost(target) / computeCost(from);
  return { ...sourceOf([nearest]), scaledFrom: { depth: from.depth, size: from.size, batchSize: from.batchSize, factor } };
}

export async function estimateJob(spec: TrainSpec, jobs: readonly JobInfo[], backend: BackendGuess): Promise<JobEstimate> {
  const { patches, batchSize, stepsPerEpoch: spe, epochs } = await stepsPerEpoch(spec, backend);
  const { steps, limitedBy } = stepsToRun(spe, epochs, spec.options.maxSteps);
  const measured = measuredStepTime(spec, jobs, backend);
  const stepSeconds = measured && stepSecondsOf(measured);
  return { backend, patches, batchSize, stepsPerEpoch: spe, epochs, steps, limitedBy, stepSeconds, measured, seconds: stepSeconds === null ? null : steps * stepSeconds };
}
