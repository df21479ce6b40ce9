import type { PairBatch } from '../../sampler/pairs.js';
import type { Moco, MocoStepResult } from '../moco.js';
import { readMocoState, restoreMocoState, type MocoState } from './moco-state.js';
import type { MocoTrainer } from './moco-trainer.js';

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
