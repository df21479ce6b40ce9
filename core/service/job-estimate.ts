/**
 * `jobs.estimate`: before a training job starts, the backend its process would load, the steps it
 * will really run on this data set's selection, and a step time measured on this machine: the
 * wall time of finished jobs with the same configuration (model, input, batch, queue, backend).
 */
import type { JobInfo, JobSpec } from '../common/jobs/job-spec.js';
import { backendDefaults, finetuneConfigFor, pretrainConfigFor } from '../common/training/backend-defaults.js';
import { stepSecondsOf, stepsToRun, type BackendGuess, type JobEstimate, type StepTimeSource } from '../common/training/estimate.js';
import type { TrainOutcome } from '../common/training/progress.js';
import { finetuneSelection } from '../sampler/finetune-selection.js';
import { loadPatchItems } from '../sampler/patch-items.js';
import { selectPatches } from '../sampler/selection.js';

type TrainSpec = Extract<JobSpec, { kind: 'pretrain' | 'finetune' }>;

/** Jobs whose wall time is averaged: the newest few, so a slower past (another backend build) fades out. */
const MEASURED_JOBS = 3;

/** What a step's time depends on, besides the machine; jobs that agree on it share a step time. */
function configurationKey(spec: TrainSpec, backend: BackendGuess): string {
  const defaults = backendDefaults({ tfBackend: backend.backend === 'wasm' || backend.backend === null ? 'wasm' : 'tensorflow' });
  const chosen = spec.options.backend ?? backend.backend;
  if (spec.kind === 'pretrain') {
    const c = pretrainConfigFor(spec.catalog, spec.options, defaults);
    return JSON.stringify([spec.kind, chosen, c.depth, c.size, c.batchSize, c.queueSize, c.strategy, c.sensor, c.inputBlocks, c.workers, c.knn]);
  }
  const c = finetuneConfigFor(spec.catalog, spec.options, defaults);
  return JSON.stringify([spec.kind, chosen, c.depth, c.size, c.batchSize, c.input, c.freeze]);
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

/** The newest finished jobs with the same configuration, and their steps and seconds. */
export function measuredStepTime(spec: TrainSpec, jobs: readonly JobInfo[], backend: BackendGuess): StepTimeSource | null {
  const key = configurationKey(spec, backend);
  const same = jobs
    .filter((j) => j.kind === spec.kind && j.state === 'completed' && j.result !== null)
    .filter((j) => {
      const r = j.result as Partial<TrainOutcome>;
      return typeof r.steps === 'number' && r.steps > 0 && typeof r.seconds === 'number' && r.seconds > 0;
    })
    .filter((j) => {
      try {
        return configurationKey(j.spec as TrainSpec, backend) === key;
      } catch {
        return false;
      }
    })
    .sort((a, b) => ((a.endedAt ?? '') < (b.endedAt ?? '') ? 1 : -1))
    .slice(0, MEASURED_JOBS);
  if (same.length === 0) return null;
  const outcome = (j: JobInfo) => j.result as TrainOutcome;
  return { jobs: same.map((j) => j.id), steps: same.reduce((n, j) => n + outcome(j).steps, 0), seconds: same.reduce((s, j) => s + outcome(j).seconds, 0) };
}

export async function estimateJob(spec: TrainSpec, jobs: readonly JobInfo[], backend: BackendGuess): Promise<JobEstimate> {
  const { patches, batchSize, stepsPerEpoch: spe, epochs } = await stepsPerEpoch(spec, backend);
  const { steps, limitedBy } = stepsToRun(spe, epochs, spec.options.maxSteps);
  const measured = measuredStepTime(spec, jobs, backend);
  const stepSeconds = measured && stepSecondsOf(measured);
  return { backend, patches, batchSize, stepsPerEpoch: spe, epochs, steps, limitedBy, stepSeconds, measured, seconds: stepSeconds === null ? null : steps * stepSeconds };
}
