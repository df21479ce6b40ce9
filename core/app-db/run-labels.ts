/**
 * The names and notes users give jobs, kept in the app database (table run_labels) so the Runs
 * list shows them after a restart. Bounds are the API's (core/common/jobs/run-names.ts), checked
 * again here because the CLI or a test may call in without the service's schema check.
 */
import type { RunLabel } from '../common/api/contract.js';
import { RUN_NAME_MAX, RUN_NOTES_MAX } from '../common/jobs/run-names.js';
import type { AppDb } from './schema.js';

interface Row {
  job_id: string;
  name: string;
  notes: string;
  updated_at: string;
}

const toLabel = (r: Row): RunLabel => ({ job: r.job_id, name: r.name, notes: r.notes, updatedAt: r.updated_at });

export function runLabels(db: AppDb): RunLabel[] {
  return db.prepare<[], Row>('SELECT job_id, name, notes, updated_at FROM run_labels ORDER BY job_id').all().map(toLabel);
}

/** Stores a job's name and notes (notes kept when not given); the job must exist (foreign key). */
export function setRunLabel(db: AppDb, job: string, name: string, notes?: string): RunLabel {
  if (name.length > RUN_NAME_MAX) throw new Error(`name: longer than ${RUN_NAME_MAX} characters`);
  if (notes !== undefined && notes.length > RUN_NOTES_MAX) throw new Error(`notes: longer than ${RUN_NOTES_MAX} characters`);
  const kept = db.prepare<[string], Row>('SELECT job_id, name, notes, updated_at FROM run_labels WHERE job_id = ?').get(job);
  const row: Row = { job_id: job, name: name.trim(), notes: notes ?? kept?.notes ?? '', updated_at: new Date().toISOString() };
  db.prepare(
    'INSERT INTO run_labels (job_id, name, notes, updated_at) VALUES (@job_id, @name, @notes, @updated_at) ' +
      'ON CONFLICT (job_id) DO UPDATE SET name = excluded.name, notes = excluded.notes, updated_at = excluded.updated_at',
  ).run(row);
  return toLabel(row);
}
