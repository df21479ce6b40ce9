/**
 * Which checkpoints a run keeps: `last` (the newest periodic step), `best`, and the newest
 * `keep` older periodic ones. A cancel checkpoint is a `last` until a newer step is written;
 * then it goes too. Pure: checkpoint.ts deletes what this names, after verifying the newer file.
 */
import type { CheckpointEntry } from './checkpoint-index.js';

export function checkpointsToPrune(entries: readonly CheckpointEntry[], keep: number): CheckpointEntry[] {
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`keepCheckpoints must be a whole number of at least 0, got ${keep}`);
  const periodic = entries.filter((e) => e.kind === 'periodic').sort((a, b) => b.step - a.step);
  if (periodic.length === 0) return [];
  const newest = periodic[0].step;
  // last + keep older ones; a step written twice (a resume past a damaged file) counts once
  const keptSteps = [...new Set(periodic.map((e) => e.step))].slice(0, keep + 1);
  const stalePeriodic = periodic.filter((e) => !keptSteps.includes(e.step));
  const staleCancel = entries.filter((e) => e.kind === 'cancel' && e.step < newest);
  return [...stalePeriodic, ...staleCancel];
}
