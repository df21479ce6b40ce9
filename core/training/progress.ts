import type { TrainProgress } from '../common/training/progress.js';

export interface TrainHooks {
  /** Aborting stops after the current step, writes a `cancel` checkpoint and resolves. */
  signal?: AbortSignal;
  onProgress?(p: TrainProgress): void;
}

/** Images/s over a sliding window of recent steps, and the ETA it implies. */
export class Throughput {
  private readonly times: number[] = [];
  private readonly sizes: number[] = [];

  constructor(private readonly window = 20) {}

  record(images: number, seconds: number): void {
    this.sizes.push(images);
    this.times.push(seconds);
    if (this.times.length > this.window) {
      this.times.shift();
      this.sizes.shift();
    }
  }

  imagesPerSecond(): number {
    const t = this.times.reduce((a, b) => a + b, 0);
    return t > 0 ? this.sizes.reduce((a, b) => a + b, 0) / t : 0;
  }

  etaSeconds(stepsLeft: number): number {
    const t = this.times.reduce((a, b) => a + b, 0);
    return this.times.length > 0 ? (t / this.times.length) * stepsLeft : 0;
  }
}
