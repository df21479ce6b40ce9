/**
 * A run's metrics.jsonl as the points a training curve draws: each step's loss and lr, with the
 * validation metrics of the epoch end at that step, in the shape a live `job.progress` event has
 * (so the app merges the two). Bounded: a file over MAX_METRICS_BYTES is refused, and a long run
 * is thinned to MAX_METRIC_POINTS evenly spaced steps (epoch ends always kept).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { RunMetricPoint, RunMetrics } from '../common/api/contract.js';
import { ServiceError } from '../common/api/service-error.js';
import { DatasetFileError } from '../common/util/file-error.js';
import { readMetrics, type MetricRecord } from '../runs/metrics-log.js';
import { openRun, RUN_FILES } from '../runs/run-dir.js';

/** About 150 bytes a step: a million steps. */
export const MAX_METRICS_BYTES = 160 * 1024 * 1024;
/** About what a chart shows across its width (the app keeps 2,000 points a run). */
export const MAX_METRIC_POINTS = 2000;

/** `dir` is an absolute run directory, already confined. */
export async function runMetrics(dir: string): Promise<RunMetrics> {
  let records: MetricRecord[];
  try {
    await openRun(dir);
    const file = path.join(dir, RUN_FILES.metrics);
    const size = (await stat(file).catch(() => null))?.size ?? 0;
    if (size > MAX_METRICS_BYTES) throw new ServiceError('too-large', `${file}: ${size} bytes, more than the ${MAX_METRICS_BYTES} runs.metrics reads`);
    records = (await readMetrics(dir)).records;
  } catch (err) {
    if (err instanceof DatasetFileError) throw new ServiceError('not-found', `params.run: ${err.message}`);
    throw err;
  }
  const points = metricPoints(records);
  return { run: dir, points: thinPoints(points, MAX_METRIC_POINTS), steps: points.length };
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Step records become points; an epoch-end record adds its validation to the point of its step:
 * a pretrain's `knn_top1`, a finetune's `validation` report's numbers (as the live event has them).
 */
export function metricPoints(records: readonly MetricRecord[]): RunMetricPoint[] {
  const byStep = new Map<number, RunMetricPoint>();
  const pending = new Map<number, Record<string, number>>();
  for (const r of records) {
    if (!isNumber(r.step) || !isNumber(r.epoch)) continue;
    if (r.epoch_end === true) {
      const validation = epochValidation(r);
      if (validation) pending.set(r.step, validation);
    } else if (isNumber(r.loss) && isNumber(r.lr)) {
      byStep.set(r.step, { step: r.step, epoch: r.epoch, loss: r.loss, lr: r.lr });
    }
  }
  for (const [step, validation] of pending) {
    const p = byStep.get(step);
    if (p) p.validation = validation;
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

function epochValidation(r: MetricRecord): Record<string, number> | null {
  const out: Record<string, number> = {};
  if (isNumber(r.knn_top1)) out.knn_top1 = r.knn_top1;
  if (typeof r.validation === 'object' && r.validation !== null && !Array.isArray(r.validation)) {
    for (const [k, v] of Object.entries(r.validation)) if (isNumber(v)) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** At most about `max` points: every k-th step, the last one and every point with validation. */
export function thinPoints(points: readonly RunMetricPoint[], max: number): RunMetricPoint[] {
  if (points.length <= max) return [...points];
  const stride = Math.ceil(points.length / max);
  return points.filter((p, i) => i % stride === 0 || i === points.length - 1 || p.validation !== undefined);
}
