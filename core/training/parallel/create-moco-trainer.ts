import { Moco, type MocoHyper } from '../moco.js';
import { LocalMocoTrainer } from './local-moco-trainer.js';
import type { MocoTrainer } from './moco-trainer.js';
import { ParallelMoco } from './parallel-moco.js';

/**
 * One worker trains on the calling thread (no thread to start, the caller's backend); more run
 * data parallel, one replica per worker thread. Both start from Moco(hyper, seed).
 */
export async function createMocoTrainer(hyper: MocoHyper, seed: number, workers: number): Promise<MocoTrainer> {
  return workers === 1 ? new LocalMocoTrainer(new Moco(hyper, seed)) : ParallelMoco.create(hyper, seed, { workers });
}
