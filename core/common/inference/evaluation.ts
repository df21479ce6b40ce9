/** What an evaluation is asked for and what it returns (core/inference/evaluate.ts runs it). */
import type { ClassificationReport, GroupReport } from '../metrics/report-types.js';
import type { CheckpointRef } from '../runs/checkpoint-ref.js';
import type { ClassifierSpec } from '../training/finetune-config.js';

export const EVALUATION_SPLITS = ['test', 'val', 'train', 'all'] as const;
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];
export type EvaluationGrouping = 'scene' | 'season' | { regions: string };

export interface EvaluationResult {
  model: string;
  /** Checkpoint or weights file evaluated. */
  source: string;
  /** The finetune checkpoint evaluated (for an exported model, the one its card names). */
  checkpoint: CheckpointRef;
  split: EvaluationSplit;
  spec: ClassifierSpec;
  overall: ClassificationReport;
  groups?: GroupReport<ClassificationReport>[];
  predictions?: string;
}
