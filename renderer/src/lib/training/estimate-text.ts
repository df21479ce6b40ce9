/**
 * A training estimate and a running job's settings in words for the form: the steps that will run
 * and why that many, the time and how it was measured, the backend; what a running job runs.
 */
import type { JobInfo } from '#common/jobs/job-spec.js';
import type { BackendGuess, JobEstimate } from '#common/training/estimate.js';
import { INPUT_TITLES } from '#common/training/finetune-config.js';
import { STRATEGY_TITLES } from '#common/training/pair-strategies.js';
import { formatDuration, formatRate } from './format.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** "60 steps: 15 epochs of 4 steps (32 patches)", or where Max steps cuts it. */
export function stepsText(e: JobEstimate): string {
  if (e.stepsPerEpoch === 0) return `no step: the selection holds ${plural(e.patches, 'patch', 'patches')}, fewer than one batch of ${e.batchSize}`;
  const epochs = `${plural(e.epochs, 'epoch')} of ${plural(e.stepsPerEpoch, 'step')} (${plural(e.patches, 'patch', 'patches')})`;
  return e.limitedBy === 'maxSteps' ? `${plural(e.steps, 'step')}, cut by Max steps from ${epochs}` : `${plural(e.steps, 'step')}: ${epochs}`;
}

/** The time and how it was measured, or why there is none yet. */
export function timeText(e: JobEstimate): string {
  if (e.seconds === null || e.stepSeconds === null || e.measured === null) {
    return 'time not measured yet: a finished run of this configuration on this machine measures it';
  }
  const m = e.measured;
  if (m.scaledFrom) {
    const f = m.scaledFrom;
    return (
      `roughly ${formatDuration(e.seconds)} (${e.stepSeconds.toFixed(2)} s a step: a finished job here with ResNet-${f.depth} at ${f.size} px, ` +
      `batch ${f.batchSize}, ran ${(m.seconds / m.steps).toFixed(2)} s a step, scaled ×${f.factor.toPrecision(2)} by compute; a run of this configuration measures it)`
    );
  }
  return (
    `about ${formatDuration(e.seconds)} (${e.stepSeconds.toFixed(2)} s a step, measured here: ${plural(m.steps, 'step')} in ` +
    `${formatDuration(m.seconds)} over ${plural(m.jobs.length, 'finished job')} of this configuration, start-up, validation and checkpoints included)`
  );
}

export function backendText(b: BackendGuess): string {
  return b.backend === null ? `No backend can train here: ${b.reason}` : `${b.device === 'gpu' ? 'GPU' : 'CPU'}: ${b.engine}`;
}

/** A pretrain or finetune job's settings as the form names them (what the job runs, read-only). */
export function jobSettings(job: JobInfo): [string, string][] {
  if (job.spec.kind !== 'pretrain' && job.spec.kind !== 'finetune') return [];
  const o = job.spec.options;
  const rows: [string, string | undefined][] =
    job.spec.kind === 'pretrain'
      ? [
          ['Strategy', STRATEGY_TITLES[job.spec.options.strategy ?? 'sensor-pairs']],
          ['Input', job.spec.options.sensor],
          ['Queue', job.spec.options.queueSize?.toLocaleString('en')],
        ]
      : [
          ['Variant', job.spec.options.variant],
          ['Input', job.spec.options.input && INPUT_TITLES[job.spec.options.input]],
          ['Labels', job.spec.options.scheme],
        ];
  rows.push(
    ['Architecture', o.depth === undefined ? undefined : `ResNet-${o.depth}`],
    ['Size', o.size === undefined ? undefined : `${o.size} px`],
    ['Subset', o.subset ?? 'all'],
    ['Epochs', o.epochs?.toString()],
    ['Batch', o.batchSize?.toString()],
    ['LR', o.lr === undefined ? undefined : formatRate(o.lr)],
    ['Max steps', o.maxSteps?.toString()],
    ['Checkpoints kept', o.keepCheckpoints === undefined ? undefined : `last, best + ${o.keepCheckpoints} older`],
  );
  // Unset ones run the backend's or the research's defaults, which config.json records.
  return rows.filter((r): r is [string, string] => r[1] !== undefined);
}
