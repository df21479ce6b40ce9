/**
 * The steps a training start really runs: its schedule (epochs x steps per epoch) cut by "Max
 * steps", counted from the step it starts at (a resumed start may run as many again). The
 * trainer stops there, reports it, and its ETA and the app's progress bar count to it, so a
 * capped run does not read "step 40/50" when it has finished.
 */

/** The step a start that begins at `startStep` stops at. */
export function plannedStopStep(totalSteps: number, startStep: number, maxSteps: number | undefined): number {
  return maxSteps === undefined ? totalSteps : Math.min(totalSteps, startStep + maxSteps);
}

/** What a progress report needs for the view: TrainProgress / JobProgress fields. */
export interface StepCounts {
  step: number;
  totalSteps: number;
  /** 0-based epoch of the last step done. */
  epoch: number;
  epochs: number;
  /** The step this start stops at; absent in reports from before it was reported. */
  stopStep?: number;
}

/** Progress as the user reads it: steps and epochs of what will really run. */
export interface ProgressShown {
  step: number;
  /** The steps that will run (the bar's end). */
  target: number;
  /** Fraction of `target` done, in [0, 1]. */
  fraction: number;
  /** 1-based epoch of the last step done, at most `epochs`. */
  epoch: number;
  /** Epochs the run reaches (the last one possibly partial). */
  epochs: number;
  /** Max steps cut the schedule short. */
  capped: boolean;
  /** The schedule's steps and epochs, to say what a capped run left out. */
  scheduledSteps: number;
  scheduledEpochs: number;
}

/**
 * `maxSteps` (the job's option) stands in for a report without `stopStep`; it is then counted
 * from step 0, which is exact for a start that did not resume.
 */
export function progressShown(p: StepCounts, maxSteps?: number): ProgressShown {
  const target = Math.max(0, p.stopStep ?? plannedStopStep(p.totalSteps, 0, maxSteps));
  const perEpoch = p.epochs > 0 && p.totalSteps > 0 ? p.totalSteps / p.epochs : 0;
  const epochs = perEpoch > 0 ? Math.min(p.epochs, Math.max(1, Math.ceil(target / perEpoch))) : p.epochs;
  return {
    step: p.step,
    target,
    fraction: target > 0 ? Math.min(1, Math.max(0, p.step / target)) : 0,
    epoch: Math.min(p.epoch + 1, epochs),
    epochs,
    capped: target < p.totalSteps,
    scheduledSteps: p.totalSteps,
    scheduledEpochs: p.epochs,
  };
}
