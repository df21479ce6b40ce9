import type { PairBatch } from '../../sampler/pairs.js';
import { Moco, type MocoHyper, type MocoStepResult } from '../moco.js';
import { readMocoState, restoreMocoState, type MocoState } from './moco-state.js';
import { ParallelMoco } from './parallel-moco.js';

/** What the pretraining loop needs of MoCo, on this thread or data parallel over workers. */
export interface MocoTrainer {
  trainStep(pairs: PairBatch, lr: number): Promise<MocoStepResult>;
  /** Everything a run needs to continue exactly (checkpoints are written from it). */
  state(): Promise<MocoState>;
  /** Overwrites the whole model with `state`; `source` (the checkpoint) is named in errors. */
  restore(state: MocoState, source: string): Promise<void>;
  dispose(): Promise<void>;
}

/** Moco on the calling thread, behind the MocoTrainer interface. */
export class LocalMocoTrainer implements MocoTrainer {
  constructor(readonly moco: Moco) {}

  async trainStep(pairs: PairBatch, lr: number): Promise<MocoStepResult> {
    return this.moco.trainStep(pairs, lr);
  }

  state(): Promise<MocoState> {
    return readMocoState(this.moco);
  }

  async restore(state: MocoState, source: string): Promise<void> {
    restoreMocoState(this.moco, state, source);
  }

  async dispose(): Promise<void> {
    this.moco.dispose();
  }
}

/**
 * One worker trains on the calling thread (no thread to start, the caller's backend); more run
 * data parallel, one replica per worker thread. Both start from Moco(hyper, seed).
 */
export async function createMocoTrainer(hyper: MocoHyper, seed: number, workers: number): Promise<MocoTrainer> {
  return workers === 1 ? new LocalMocoTrainer(new Moco(hyper, seed)) : ParallelMoco.create(hyper, seed, { workers });
}
