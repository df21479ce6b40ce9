import { describe, expect, it } from 'vitest';
import { plannedStopStep, progressShown } from '../../../core/common/training/planned-steps.js';

describe('plannedStopStep', () => {
  it('is the schedule without max steps, else max steps from the start step, never past the schedule', () => {
    expect(plannedStopStep(50, 0, undefined)).toBe(50);
    expect(plannedStopStep(50, 0, 40)).toBe(40);
    expect(plannedStopStep(50, 20, 40)).toBe(50);
    expect(plannedStopStep(50, 5, 10)).toBe(15);
  });
});

describe('progressShown', () => {
  it('a run capped at 40 of 50 steps (10 epochs of 5) that finished reads 40/40, epoch 8/8, bar full', () => {
    const shown = progressShown({ step: 40, totalSteps: 50, epoch: 7, epochs: 10, stopStep: 40 });
    expect(shown).toMatchObject({ step: 40, target: 40, fraction: 1, epoch: 8, epochs: 8, capped: true, scheduledSteps: 50, scheduledEpochs: 10 });
  });

  it("counts a partial last epoch and falls back to the job's max steps when the report has no stop step", () => {
    const shown = progressShown({ step: 6, totalSteps: 50, epoch: 1, epochs: 10 }, 12);
    expect(shown).toMatchObject({ target: 12, fraction: 0.5, epoch: 2, epochs: 3, capped: true });
  });

  it('an uncapped run counts the whole schedule', () => {
    expect(progressShown({ step: 25, totalSteps: 50, epoch: 4, epochs: 10 })).toMatchObject({ target: 50, fraction: 0.5, epoch: 5, epochs: 10, capped: false });
  });

  it('a resumed start stops at its own stop step', () => {
    expect(progressShown({ step: 30, totalSteps: 50, epoch: 5, epochs: 10, stopStep: 35 })).toMatchObject({ target: 35, epochs: 7, epoch: 6 });
  });

  it('reads 0 before anything is known', () => {
    expect(progressShown({ step: 0, totalSteps: 0, epoch: 0, epochs: 0 }).fraction).toBe(0);
  });
});
