/** Evaluations for the results view: one line per finished evaluate job, and an evaluation's full report. */
import type { JobManager } from '../jobs/job-manager.js';
import { headlineOf } from '../common/metrics/report-types.js';
import type { EvaluationResult } from '../common/inference/evaluation.js';
import { readPredictionsCsv } from '../inference/predictions-csv.js';
import type { EvaluationSummary, PatchPrediction } from '../common/api/contract.js';
import type { OpenDataset } from './datasets.js';
import { ServiceError } from '../common/api/service-error.js';

/** The full report of a finished evaluate job (checked by the job manager when the worker sent it). */
export function evaluationOf(jobs: JobManager, job: string): EvaluationResult {
  const stored = jobs.evaluation(job);
  if (!stored) throw new ServiceError('not-found', `job ${job} has no evaluation result (is it a finished evaluate job?)`);
  return stored.result as EvaluationResult;
}

export function evaluationSummaries(jobs: JobManager, dataset?: OpenDataset): EvaluationSummary[] {
  const summaries: EvaluationSummary[] = [];
  for (const job of jobs.list()) {
    if (job.kind !== 'evaluate' || job.state !== 'completed') continue;
    if (dataset && job.spec.catalog !== dataset.catalogPath) continue;
    if (!jobs.evaluation(job.id)) continue;
    const result = evaluationOf(jobs, job.id);
    summaries.push({
      job: job.id,
      dataset: dataset?.id ?? null,
      model: result.model,
      split: result.split,
      headline: headlineOf(result.overall),
      checkpoint: result.checkpoint ?? null,
      endedAt: job.endedAt,
    });
  }
  return summaries;
}

function jaccard(a: readonly number[], b: readonly number[]): number {
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 1 : a.filter((k) => b.includes(k)).length / union;
}

/** Every patch an evaluate job scored, from the predictions file the service asked it to write. */
export async function predictionsOf(jobs: JobManager, job: string): Promise<PatchPrediction[]> {
  const info = jobs.get(job);
  const file = info?.spec.kind === 'evaluate' && info.state === 'completed' ? info.spec.options.predictions : undefined;
  if (!file) throw new ServiceError('not-found', `job ${job} has no predictions (is it a finished evaluate job?)`);
  return (await readPredictionsCsv(file)).map((row) => {
    const score = jaccard(row.trueLabels, row.predicted);
    return { id: row.id, trueLabels: [...row.trueLabels], predicted: [...row.predicted], correct: score === 1, score, scores: Array.from(row.scores) };
  });
}
