import type { CheckpointRef } from '../runs/checkpoint-ref.js';

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
  /** The step this start stops at: totalSteps cut by max steps (planned-steps.ts); the ETA counts to it. */
  stopStep?: number;
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
