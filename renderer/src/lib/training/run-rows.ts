/**
 * What a row of the Runs list says about a job: its name (the user's, else the default from
 * core/common), when it started, the steps it ran, its final figure, and for an evaluation or
 * export what it read (the model run by name) and how it grouped. Plain functions over plain
 * data so the wording is tested without a DOM.
 */
import type { RunLabel } from '#common/api/contract.js';
import type { JobInfo } from '#common/jobs/job-spec.js';
import { runName } from '#common/jobs/run-names.js';
import { headlineMetric, METRIC_TITLES } from '#common/metrics/report-types.js';
import { metricTitle, trainBest } from './checkpoints.js';

export interface RunRow {
  name: string;
  /** "2026-03-01 14:05", or "queued" before the job started. */
  started: string;
  /** "12 steps", "40/50 steps", "" when the job counts no steps. */
  steps: string;
  /** "loss 4.1234 · k-NN top-1 0.4167", "sample-averaged Jaccard 0.6120", "" when nothing is known yet. */
  figure: string;
  /** What the job read and how: "model: baseline · by season" (evaluate, export); the strategy line of a training run. */
  what: string;
}

/** The jobs of the open data set: those whose catalog is its catalog. */
export function jobsOfDataset(list: readonly JobInfo[], catalog: string | null | undefined): JobInfo[] {
  return catalog ? list.filter((j) => j.spec.catalog === catalog) : [];
}

/** A local "YYYY-MM-DD HH:MM". */
export function shortTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The name a job shows, by id (for the model an evaluation read). */
export function nameOf(job: JobInfo, labels: Readonly<Record<string, RunLabel>>): string {
  return runName(job.spec, labels[job.id]);
}

export function runRow(job: JobInfo, all: readonly JobInfo[], labels: Readonly<Record<string, RunLabel>>): RunRow {
  return { name: nameOf(job, labels), started: job.startedAt ? shortTime(job.startedAt) : job.state === 'queued' ? 'queued' : shortTime(job.createdAt), steps: stepsOf(job), figure: figureOf(job), what: whatOf(job, all, labels) };
}

function stepsOf(job: JobInfo): string {
  if (job.kind !== 'pretrain' && job.kind !== 'finetune') return '';
  const done = (job.result as { steps?: unknown } | null)?.steps;
  if (typeof done === 'number' && job.state === 'completed') return `${done} steps`;
  const p = job.progress;
  if (!p) return '';
  const target = p.stopStep ?? p.totalSteps;
  return `${p.step}/${target} steps`;
}

function figureOf(job: JobInfo): string {
  if (job.kind === 'pretrain' || job.kind === 'finetune') {
    const result = job.result as { finalLoss?: unknown } | null;
    const loss = typeof result?.finalLoss === 'number' && Number.isFinite(result.finalLoss) ? result.finalLoss : job.progress?.loss;
    const best = trainBest(job);
    const parts = [loss !== undefined ? `loss ${loss.toFixed(4)}` : '', best ? `best ${metricTitle(best.metric)} ${best.value.toFixed(4)}` : ''];
    return parts.filter(Boolean).join(' · ');
  }
  if (job.kind === 'evaluate') {
    const r = job.result as { task?: unknown; metrics?: Record<string, unknown> } | null;
    if (!r?.metrics) return '';
    const metric = headlineMetric(r.task === 'multi_label' ? 'multi' : 'single');
    const value = r.metrics[metric];
    return typeof value === 'number' ? `${METRIC_TITLES[metric]} ${value.toFixed(4)}` : '';
  }
  return '';
}

/** A model or run a job read: the job's name when it is a job id or the folder a listed job wrote, else the folder's name. */
function modelName(ref: string, all: readonly JobInfo[], labels: Readonly<Record<string, RunLabel>>): string {
  const job = all.find((j) => j.id === ref || (j.runDir !== null && j.runDir === ref));
  if (job) return nameOf(job, labels);
  return ref.split(/[\\/]/).filter(Boolean).at(-1) ?? ref;
}

/** An evaluation's grouping in words; drawn regions are written to the app's regions/ folder. */
export function groupingOf(by: unknown): string {
  if (by === 'scene' || by === 'season') return `by ${by}`;
  if (typeof by === 'object' && by !== null && typeof (by as { regions?: unknown }).regions === 'string') {
    const file = (by as { regions: string }).regions;
    const parts = file.split(/[\\/]/);
    return parts.at(-2) === 'regions' ? 'by drawn regions' : `by regions of ${parts.at(-1)}`;
  }
  return 'overall';
}

function whatOf(job: JobInfo, all: readonly JobInfo[], labels: Readonly<Record<string, RunLabel>>): string {
  const o = job.spec.options as Record<string, unknown>;
  switch (job.kind) {
    case 'evaluate':
      return [`model: ${modelName(String(o.model), all, labels)}`, groupingOf(o.by), typeof o.split === 'string' ? `${o.split} split` : ''].filter(Boolean).join(' · ');
    case 'export':
      return [`run: ${modelName(String(o.run), all, labels)}`, Array.isArray(o.formats) ? o.formats.join(', ') : ''].filter(Boolean).join(' · ');
    case 'finetune': {
      const from = typeof o.pretrained === 'string' ? `from ${modelName(o.pretrained, all, labels)}` : 'from random weights';
      return [from, ...trainingSettings(o)].join(' · ');
    }
    case 'pretrain':
      return trainingSettings(o).join(' · ');
  }
}

/** The settings that tell two runs of one name apart: "32 px", "1 epoch", "batch 8", "max 6 steps". */
function trainingSettings(o: Record<string, unknown>): string[] {
  const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const size = n(o.size);
  const epochs = n(o.epochs);
  const batch = n(o.batchSize);
  const max = n(o.maxSteps);
  return [
    size !== undefined ? `${size} px` : '',
    epochs !== undefined ? `${epochs} epoch${epochs === 1 ? '' : 's'}` : '',
    batch !== undefined ? `batch ${batch}` : '',
    max !== undefined ? `max ${max} steps` : '',
  ].filter(Boolean);
}
