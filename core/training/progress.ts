import type { CheckpointRef } from '../common/runs/checkpoint-ref.js';

/**
 * What a training loop reports while it runs: the CLI draws it as a progress bar, the app
 * streams it to the UI. One shape for pretraining and finetuning.
 */
export interface TrainProgress {
  kind: 'pretrain' | 'finetune';
  runDir: string;
  /** Optimizer steps done (1-based after the first step). */
  step: number;
  totalSteps: number;
  /** 0-based epoch the step belongs to. */
  epoch: number;
  epochs: number;
  loss: number;
  lr: number;
  imagesPerSecond: number;
  etaSeconds: number;
  /** Validation metrics at the end of an epoch (finetuning), else absent. */
  validation?: Record<string, number>;
}

export interface TrainHooks {
  /** Aborting stops after the current step, writes a `cancel` checkpoint and resolves. */
  signal?: AbortSignal;
  onProgress?(p: TrainProgress): void;
}

/** How a training call ended. */
export interface TrainOutcome {
  runDir: string;
  status: 'completed' | 'cancelled';
  steps: number;
  epochs: number;
  finalLoss: number;
  seconds: number;
  /** The best validation score (finetune: micro-F1; pretrain: k-NN top-1) and the step it was reached at. */
  best?: { metric: string; value: number; step: number };
  /** Finetuning from pretrained weights: the pretrain checkpoint loaded, as config.json records it. */
  pretrainedCheckpoint?: CheckpointRef;
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
