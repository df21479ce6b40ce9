/**
 * The app's evaluations in the research's table (#common/training/research-table.ts lays it out
 * and places an evaluation by the jobs that made its model). A cell holds the newest evaluation
 * of its place; an evaluation of a model from elsewhere has no place.
 */
import type { JobInfo } from '#common/jobs/job-spec.js';
import type { EvaluationSummary } from '#common/api/contract.js';
import { evaluationPlace, jobLookup, RESEARCH_SPLIT, tableLayout, type StartRow, type TableLayout } from '#common/training/research-table.js';
import type { FinetuneInput } from '#common/training/finetune-config.js';

export interface TableCell {
  row: StartRow;
  input: FinetuneInput;
  metric: EvaluationSummary['headline']['metric'];
  value: number;
  /** The evaluate job. */
  job: string;
  endedAt: string;
}

export interface ResearchTable extends TableLayout<TableCell> {
  /** Evaluations whose model is not a finetune job of this app. */
  unplaced: number;
}

export function researchTable(summaries: readonly EvaluationSummary[], jobs: readonly JobInfo[]): ResearchTable {
  const find = jobLookup(jobs);
  const newest = new Map<string, TableCell>();
  let unplaced = 0;
  for (const s of summaries) {
    if (s.split !== RESEARCH_SPLIT) continue;
    const place = evaluationPlace(s, find);
    if (!place) {
      unplaced++;
      continue;
    }
    const key = `${place.row}/${place.input}`;
    const endedAt = s.endedAt ?? '';
    const held = newest.get(key);
    if (!held || held.endedAt < endedAt) newest.set(key, { ...place, ...s.headline, job: s.job, endedAt });
  }
  return { ...tableLayout([...newest.values()]), unplaced };
}
