import { DatasetFileError } from '../common/util/file-error.js';
import type { LoadedCheckpoint } from '../runs/checkpoint.js';
import type { TrainOutcome } from '../common/training/progress.js';

/** The best epoch-end score so far and the step it was reached at. */
export interface Best {
  value: number;
  step: number;
}

/**
 * What a training loop carries in its checkpoints besides tensors, so that a resumed run
 * records exactly what an uninterrupted one would.
 */
export interface LoopState {
  /** Sum of this epoch's step losses so far: a mid-epoch resume logs the same epoch loss. */
  epochLossSum: number;
  best: Best | null;
}

export function freshLoop(): LoopState {
  return { epochLossSum: 0, best: null };
}

/** The loop state a checkpoint holds; refuses one written before it was recorded. */
export function loopState(ckpt: LoadedCheckpoint): LoopState {
  const { epochLossSum, best } = ckpt.state.extra ?? {};
  if (typeof epochLossSum !== 'number') {
    throw new DatasetFileError(ckpt.path, 'no epochLossSum in the checkpoint state (written by an older version): the epoch loss cannot continue exactly');
  }
  return { epochLossSum, best: (best as Best | null | undefined) ?? null };
}

/** How a training call ended, with its best score under `metric`. */
export function trainOutcome(
  runDir: string,
  status: TrainOutcome['status'],
  progress: { steps: number; stepsPerEpoch: number; finalLoss: number; started: number },
  best: Best | null,
  metric: string,
): TrainOutcome {
  const { steps, stepsPerEpoch, finalLoss, started } = progress;
  return {
    runDir,
    status,
    steps,
    epochs: Math.floor(steps / stepsPerEpoch),
    finalLoss,
    seconds: (Date.now() - started) / 1000,
    ...(best ? { best: { metric, value: best.value, step: best.step } } : {}),
  };
}
