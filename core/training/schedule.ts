/**
 * Learning-rate schedules as pure functions of the step, so a resumed run computes the same rate
 * without any saved schedule state.
 */
export type LrSchedule =
  | { kind: 'cosine'; baseLr: number; totalSteps: number; warmupSteps?: number }
  | { kind: 'step'; baseLr: number; stepSize: number; gamma: number; warmupSteps?: number }
  | { kind: 'constant'; baseLr: number };

/** The rate for 0-based `step`. Step schedules count `stepSize` in the caller's unit (epochs or steps). */
export function learningRate(schedule: LrSchedule, step: number, epoch = step): number {
  const warmup = 'warmupSteps' in schedule ? (schedule.warmupSteps ?? 0) : 0;
  if (warmup > 0 && step < warmup) return (schedule.baseLr * (step + 1)) / warmup;
  switch (schedule.kind) {
    case 'constant':
      return schedule.baseLr;
    case 'cosine': {
      // MoCo-v2's cosine: lr * 0.5 * (1 + cos(pi * progress)), after the warm-up.
      const span = Math.max(1, schedule.totalSteps - warmup);
      const progress = Math.min(1, (step - warmup) / span);
      return schedule.baseLr * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case 'step':
      return schedule.baseLr * schedule.gamma ** Math.floor(epoch / schedule.stepSize);
  }
}
