/**
 * The report file of `evaluate --report`: everything one evaluation computed (every averaged
 * metric, per class, the confusion matrix of a single-label task, the groups) with what was
 * evaluated, as one plain JSON document that a notebook or spreadsheet reads without this library.
 */
import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClassificationReport, GroupReport } from '../common/metrics/report-types.js';
import type { CheckpointRef } from '../common/runs/checkpoint-ref.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ClassifierSpec } from '../common/training/finetune-config.js';
import type { EvaluationGrouping, EvaluationResult, EvaluationSplit } from '../common/inference/evaluation.js';

export const EVALUATION_REPORT_FORMAT = 'sen12ms-studio.evaluation-report';

export interface EvaluationReport {
  format: typeof EVALUATION_REPORT_FORMAT;
  version: 1;
  createdAt: string;
  /** The run or export directory given. */
  model: string;
  /** The checkpoint or weights file whose values were evaluated. */
  source: string;
  checkpoint: CheckpointRef;
  catalog: string;
  split: EvaluationSplit;
  spec: ClassifierSpec;
  /** The grouping asked for; null when the evaluation was overall only. */
  by: EvaluationGrouping | null;
  /** All patches of the split: multiLabelReport or singleLabelReport of core/metrics/report.ts. */
  overall: ClassificationReport;
  /** One report per scene, season or region (null for a region without patches); null without `by`. */
  groups: GroupReport<ClassificationReport>[] | null;
  /** The per-patch CSV written by the same evaluation, if any. */
  predictions: string | null;
  /** The TensorFlow.js backend that computed the scores. */
  backend: string;
}

/** What the report records beyond the result: the inputs evaluate was given. */
export interface EvaluationContext {
  catalog: string;
  by?: EvaluationGrouping;
  backend: string;
}

export function evaluationReport(result: EvaluationResult, context: EvaluationContext, now = new Date()): EvaluationReport {
  return {
    format: EVALUATION_REPORT_FORMAT,
    version: 1,
    createdAt: now.toISOString(),
    model: result.model,
    source: result.source,
    checkpoint: result.checkpoint,
    catalog: context.catalog,
    split: result.split,
    spec: result.spec,
    by: context.by ?? null,
    overall: result.overall,
    groups: result.groups ?? null,
    predictions: result.predictions ?? null,
    backend: context.backend,
  };
}

/**
 * Fails when the report's folder cannot take it, so a long evaluation is not run only to lose
 * its figures at the end.
 */
export async function checkReportDestination(file: string): Promise<void> {
  const dir = dirname(file);
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new Error(`report ${file}: its folder ${dir} is missing or not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Written whole or not at all: a reader never sees half a report. */
export async function writeEvaluationReport(file: string, report: EvaluationReport): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
}
