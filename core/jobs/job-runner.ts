/**
 * Runs one job in the current process: picks the backend as the CLI commands do, maps the job's
 * options onto the training, evaluation or export call and reports through hooks. The worker
 * process wraps this with its transport; nothing here knows how messages travel.
 */
import { initBackend, type BackendInfo, type BackendOptions } from '../backend/select.js';
import { exportRun } from '../export/export-run.js';
import { backendDefaults, finetuneConfigFor, pretrainConfigFor } from '../common/training/backend-defaults.js';
import { evaluate } from '../inference/evaluate.js';
import { runFinetune } from '../training/finetune.js';
import { runPretrain } from '../training/pretrain.js';
import type { TrainProgress } from '../common/training/progress.js';
import type { EvaluateJobOptions, ExportJobOptions, FinetuneJobOptions, JobProgress, JobSpec, PretrainJobOptions } from '../common/jobs/job-spec.js';

export interface JobRunHooks {
  /** Run directory to continue (pretrain and finetune), or null for a new run. */
  resume: string | null;
  /** Folder new run directories are created in. */
  runsDir: string;
  /** Aborting stops training after the current step with a `cancel` checkpoint. */
  signal: AbortSignal;
  /** The run directory, as soon as it is known. */
  onRunDir(runDir: string): void;
  onProgress(progress: JobProgress): void;
  log(line: string): void;
}

/** Runs the job to its end and returns its result (TrainOutcome, EvaluationResult or ExportedFiles). */
export async function runJob(spec: JobSpec, hooks: JobRunHooks): Promise<unknown> {
  switch (spec.kind) {
    case 'pretrain':
      return pretrain(spec.catalog, spec.options, hooks);
    case 'finetune':
      return finetune(spec.catalog, spec.options, hooks);
    case 'evaluate':
      return evaluateJob(spec.catalog, spec.options, hooks);
    case 'export':
      return exportJob(spec.options, hooks);
  }
}

async function backend(opts: BackendOptions, hooks: JobRunHooks): Promise<BackendInfo> {
  const info = await initBackend(opts);
  hooks.log(`backend: ${info.name} (${info.reason})`);
  return info;
}

// The CLI's pretrain and finetune commands make their runs' configs with the same functions, so
// one set of settings on one backend records one config.json whichever front end started it. A
// resumed run keeps the config it was started with.
async function pretrain(catalog: string, o: PretrainJobOptions, hooks: JobRunHooks) {
  const info = await backend({ purpose: 'train', prefer: o.backend }, hooks);
  const start = hooks.resume ? { resume: hooks.resume } : pretrainConfigFor(catalog, o, backendDefaults(info));
  return runPretrain(start, { ...trainHooks(hooks), maxSteps: o.maxSteps });
}

async function finetune(catalog: string, o: FinetuneJobOptions, hooks: JobRunHooks) {
  const info = await backend({ purpose: 'train', prefer: o.backend }, hooks);
  const start = hooks.resume ? { resume: hooks.resume } : finetuneConfigFor(catalog, o, backendDefaults(info));
  return runFinetune(start, { ...trainHooks(hooks), maxSteps: o.maxSteps });
}

function trainHooks(hooks: JobRunHooks) {
  if (hooks.resume) hooks.onRunDir(hooks.resume);
  let runDir = hooks.resume;
  let epoch = -1;
  return {
    runsDir: hooks.runsDir,
    signal: hooks.signal,
    onProgress(p: TrainProgress) {
      if (runDir !== p.runDir) hooks.onRunDir((runDir = p.runDir));
      if (!Number.isFinite(p.loss)) hooks.log(`step ${p.step}: loss is ${p.loss}`);
      // One line per epoch (and per validation) keeps the job log readable; the run's
      // metrics.jsonl has every step.
      if (p.validation || p.epoch !== epoch) {
        epoch = p.epoch;
        const val = p.validation ? ` validation ${JSON.stringify(p.validation)}` : '';
        hooks.log(`epoch ${p.epoch + 1}/${p.epochs} step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)} lr ${p.lr.toExponential(2)}${val}`);
      }
      hooks.onProgress(jobProgress(p));
    },
  };
}

/** Messages carry finite numbers only (JSON would turn NaN into null). */
function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

function jobProgress(p: TrainProgress): JobProgress {
  return {
    step: p.step,
    totalSteps: p.totalSteps,
    ...(p.stopStep === undefined ? {} : { stopStep: p.stopStep }),
    epoch: p.epoch,
    epochs: p.epochs,
    loss: finite(p.loss),
    lr: finite(p.lr),
    imagesPerSecond: finite(p.imagesPerSecond),
    etaSeconds: finite(p.etaSeconds),
    ...(p.validation ? { validation: Object.fromEntries(Object.entries(p.validation).map(([k, v]) => [k, finite(v)])) } : {}),
  };
}

async function evaluateJob(catalog: string, o: EvaluateJobOptions, hooks: JobRunHooks) {
  await backend({ purpose: 'infer', prefer: o.backend }, hooks);
  const started = Date.now();
  return evaluate({
    model: o.model,
    checkpoint: o.checkpoint,
    catalog,
    split: o.split,
    by: o.by,
    predictions: o.predictions,
    batchSize: o.batchSize,
    onProgress(done, total) {
      const rate = done / Math.max(1e-3, (Date.now() - started) / 1000);
      hooks.onProgress({ step: done, totalSteps: total, epoch: 0, epochs: 1, loss: 0, lr: 0, imagesPerSecond: rate, etaSeconds: (total - done) / rate });
    },
  });
}

async function exportJob(o: ExportJobOptions, hooks: JobRunHooks) {
  await backend({ purpose: 'infer' }, hooks);
  return exportRun(o.run, o.dest, { formats: o.formats, sensor: o.sensor, checkpoint: o.checkpoint });
}
