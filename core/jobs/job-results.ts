/**
 * What a finished job's `result` holds in its JobInfo. An evaluation's full report goes to its own
 * table; the job keeps the figures worth a glance (the same as the CLI's evaluate line).
 */
import type { CheckpointRef } from '../common/runs/checkpoint-ref.js';
import { headlineMetric, headlineOf, numericFields } from '../common/metrics/report-types.js';
import type { EvaluationResult } from '../common/inference/evaluation.js';
import { schemaErrors, type JsonSchema } from '../common/util/json-schema.js';

export interface EvaluationSummary {
  model: string;
  /** The checkpoint evaluated (core/runs/checkpoint-select.ts). */
  checkpoint: CheckpointRef;
  split: string;
  task: string;
  n: number;
  metrics: Record<string, number>;
  /** Per group: its size and the research's headline metric (null for an empty region). */
  groups: { group: string; n: number; metric: string; value: number | null }[] | null;
}

const EVALUATION_RESULT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['model', 'source', 'split', 'spec', 'overall'],
  properties: {
    model: { type: 'string' },
    split: { type: 'string' },
    spec: { type: 'object', required: ['scheme'], properties: { scheme: { type: 'string', enum: ['multi', 'single'] } } },
    overall: { type: 'object', required: ['task', 'n'], properties: { task: { type: 'string' }, n: { type: 'integer', minimum: 0 } } },
    groups: {
      type: 'array',
      items: { type: 'object', required: ['group', 'n', 'report'], properties: { group: { type: 'string' }, n: { type: 'integer', minimum: 0 } } },
    },
  },
};

/** The evaluation a worker reported, checked enough to store and summarise it. */
export function checkEvaluationResult(value: unknown): EvaluationResult {
  const errors = schemaErrors(EVALUATION_RESULT_SCHEMA, value, 'result');
  if (errors.length > 0) throw new Error(`malformed evaluation result from the job worker: ${errors.join('; ')}`);
  return value as EvaluationResult;
}

export function evaluationSummary(r: EvaluationResult): EvaluationSummary {
  const metric = headlineMetric(r.spec.scheme);
  return {
    model: r.model,
    checkpoint: r.checkpoint,
    split: r.split,
    task: r.overall.task,
    n: r.overall.n,
    metrics: numericFields(r.overall),
    groups: r.groups?.map((g) => ({ group: g.group, n: g.n, metric, value: g.report ? headlineOf(g.report).value : null })) ?? null,
  };
}
