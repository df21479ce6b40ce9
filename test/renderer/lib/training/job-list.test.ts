import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../../core/common/jobs/job-spec.js';
import { MAX_CURVE_POINTS, activeJob, appendPoint, canCancel, canResume, mergeHistory, mergeJob, validationMetrics, validationSeries } from '../../../../renderer/src/lib/training/job-list.js';
import { jobInfo } from './job-fixtures.js';

function progress(step: number, loss = 1 / step): JobProgress {
  return { step, totalSteps: 100, epoch: 1, epochs: 1, loss, lr: 0.03, imagesPerSecond: 10, etaSeconds: 5 };
}

describe('job list', () => {
  it('keeps jobs newest first and replaces a job by id', () => {
    const a = jobInfo('a', 'pretrain', {}, { createdAt: '2026-01-01T00:00:01Z', state: 'running' });
    const b = jobInfo('b', 'finetune', {}, { createdAt: '2026-01-01T00:00:02Z', state: 'queued' });
    let list = mergeJob(mergeJob([], a), b);
    expect(list.map((j) => j.id)).toEqual(['b', 'a']);
    list = mergeJob(list, { ...a, state: 'completed' });
    expect(list.map((j) => [j.id, j.state])).toEqual([
      ['b', 'queued'],
      ['a', 'completed'],
    ]);
  });

  it('follows the running job before a queued one', () => {
    const running = jobInfo('r', 'pretrain', {}, { state: 'running' });
    const queued = jobInfo('q', 'finetune', {}, { state: 'queued' });
    expect(activeJob([queued, running])?.id).toBe('r');
    expect(activeJob([queued])?.id).toBe('q');
    expect(activeJob([jobInfo('c', 'pretrain', {})])).toBeNull();
  });

  it('offers resume for stopped training jobs and cancel for active ones', () => {
    expect(canResume(jobInfo('x', 'pretrain', {}, { state: 'interrupted' }))).toBe(true);
    expect(canResume(jobInfo('x', 'finetune', {}, { state: 'cancelled' }))).toBe(true);
    expect(canResume(jobInfo('x', 'export', {}, { state: 'failed' }))).toBe(false);
    expect(canResume(jobInfo('x', 'pretrain', {}, { state: 'completed' }))).toBe(false);
    expect(canCancel(jobInfo('x', 'evaluate', {}, { state: 'queued' }))).toBe(true);
    expect(canCancel(jobInfo('x', 'evaluate', {}, { state: 'failed' }))).toBe(false);
  });

  it('a resumed job replaces the points past its checkpoint', () => {
    let points = [1, 2, 3, 4, 5].reduce((acc, s) => appendPoint(acc, progress(s)), appendPoint([], progress(0.5)));
    points = appendPoint(points, progress(3, 9));
    expect(points.map((p) => p.step)).toEqual([0.5, 1, 2, 3]);
    expect(points.at(-1)?.loss).toBe(9);
  });

  it('thins a long curve but keeps its last point', () => {
    let points = appendPoint([], progress(1));
    for (let s = 2; s <= MAX_CURVE_POINTS + 1; s++) points = appendPoint(points, progress(s));
    expect(points.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(points.length).toBeGreaterThan(MAX_CURVE_POINTS / 2 - 1);
    expect(points.at(-1)?.step).toBe(MAX_CURVE_POINTS + 1);
    expect(points.every((p, i) => i === 0 || p.step > points[i - 1].step)).toBe(true);
  });

  it("keeps each epoch's validation through thinning, as a per-epoch series", () => {
    // 100 steps per epoch; the k-NN monitor reports at each epoch end
    const at = (step: number): JobProgress => ({ ...progress(step), epoch: Math.floor((step - 1) / 100), ...(step % 100 === 0 ? { validation: { knn_top1: step / 10_000 } } : {}) });
    let points: ReturnType<typeof appendPoint> = [];
    for (let s = 1; s <= 2 * MAX_CURVE_POINTS; s++) points = appendPoint(points, at(s));
    expect(points.length).toBeLessThanOrEqual(MAX_CURVE_POINTS + (2 * MAX_CURVE_POINTS) / 100);
    const knn = validationSeries(points, 'knn_top1');
    expect(knn).toHaveLength((2 * MAX_CURVE_POINTS) / 100);
    expect(knn[0]).toEqual({ step: 100, epoch: 0, value: 0.01 });
    expect(validationSeries(points, 'f1_micro')).toEqual([]);
  });
});

describe('recorded history and live steps', () => {
  const point = (step: number, validation?: Record<string, number>) => ({ step, epoch: 0, loss: 1 / step, lr: 0.03, ...(validation ? { validation } : {}) });

  it('keeps every recorded step and the live steps past it, one point a step, in order', () => {
    const history = [1, 2, 3, 4].map((s) => point(s, s === 4 ? { knn_top1: 0.5 } : undefined));
    const live = [point(4), point(5), point(6)];
    const merged = mergeHistory(history, live);
    expect(merged.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(merged[3].validation).toEqual({ knn_top1: 0.5 });
  });

  it('keeps the validation a live event carried when the recorded point lacks it', () => {
    const merged = mergeHistory([point(3)], [point(3, { f1_micro: 0.7 })]);
    expect(merged).toEqual([point(3, { f1_micro: 0.7 })]);
  });

  it('lists the validation metrics the points carry', () => {
    expect(validationMetrics([point(1), point(2, { f1_micro: 0.1, loss: 2 }), point(3, { f1_micro: 0.2, jaccard_samples: 0.3 })])).toEqual(['f1_micro', 'loss', 'jaccard_samples']);
  });
});
