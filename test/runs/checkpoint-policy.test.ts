import { describe, expect, it } from 'vitest';
import { checkpointsToPrune } from '../../core/runs/checkpoint-policy.js';
import type { CheckpointEntry } from '../../core/runs/checkpoint-index.js';

function entry(kind: CheckpointEntry['kind'], step: number): CheckpointEntry {
  const file = kind === 'periodic' ? `step-${String(step).padStart(6, '0')}.safetensors` : `${kind}.safetensors`;
  return { file, kind, step, epoch: 0, sha256: 'a'.repeat(64), tensorSha256: 'b'.repeat(64), bytes: 1, createdAt: '2026-01-01T00:00:00.000Z' };
}

const files = (entries: CheckpointEntry[]) => entries.map((e) => e.file).sort();

describe('checkpointsToPrune', () => {
  const run = [entry('periodic', 10), entry('periodic', 40), entry('best', 20), entry('periodic', 20), entry('periodic', 30)];

  it('keeps last and the newest K older periodic checkpoints, never best', () => {
    expect(files(checkpointsToPrune(run, 0))).toEqual(['step-000010.safetensors', 'step-000020.safetensors', 'step-000030.safetensors']);
    expect(files(checkpointsToPrune(run, 2))).toEqual(['step-000010.safetensors']);
    expect(checkpointsToPrune(run, 3)).toEqual([]);
  });

  it('drops a cancel checkpoint once a newer step is written, and keeps one that is still last', () => {
    expect(files(checkpointsToPrune([...run, entry('cancel', 35)], 5))).toEqual(['cancel.safetensors']);
    expect(checkpointsToPrune([...run, entry('cancel', 45)], 5)).toEqual([]);
  });

  it('leaves a run without periodic checkpoints alone', () => {
    expect(checkpointsToPrune([entry('best', 5), entry('cancel', 7)], 0)).toEqual([]);
  });

  it('refuses a count that is not a whole number of at least 0', () => {
    expect(() => checkpointsToPrune(run, -1)).toThrow(/at least 0, got -1/);
    expect(() => checkpointsToPrune(run, 1.5)).toThrow(/got 1.5/);
  });
});
