import type { PairBatch } from '../../sampler/pairs.js';
import type { MocoStepResult } from '../moco.js';
import type { MocoState } from './moco-state.js';

/** What the pretraining loop needs of MoCo, on this thread or data parallel over workers. */
export interface MocoTrainer {
  trainStep(pairs: PairBatch, lr: number): Promise<MocoStepResult>;
  /** Everything a run needs to continue exactly (checkpoints are written from it). */
  state(): Promise<MocoState>;
  /** Overwrites the whole model with `state`; `source` (the checkpoint) is named in errors. */
  restore(state: MocoState, source: string): Promise<void>;
  dispose(): Promise<void>;
}
