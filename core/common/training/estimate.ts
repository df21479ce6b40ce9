/**
 * What a training job would run on and how long it would take, before it is started: the backend
 * the job's process would pick, the steps that will really run and a step time measured on this
 * machine. The service computes it (`jobs.estimate`); the form shows it with how it was measured.
 */
import type { TrainingBackend } from './backends.js';
import type { ResNetDepth } from './model-options.js';

/** The backend a training job would load here, from the packages installed and the GPU seen. */
export interface BackendGuess {
  /** null: no backend that can train is installed (a job would be refused). */
  backend: TrainingBackend | null;
  /** Which engine computes: "TensorFlow with CUDA (tfjs-node-gpu)", "wasm with native CPU kernels", ... */
  engine: string;
  device: 'gpu' | 'cpu';
  /** The GPU's name when one is used. */
  gpu?: string;
  /** Why this one, as the automatic choice decides (core/backend/select.ts). */
  reason: string;
}

/** Where a step time came from. */
export interface StepTimeSource {
  /** Finished jobs with the same configuration whose wall time gave the step time. */
  jobs: string[];
  /** Steps those jobs ran. */
  steps: number;
  /** Their seconds, start-up, validation and checkpoints included. */
  seconds: number;
  /**
   * Set when no job of this configuration has finished here: the jobs are of another
   * configuration of the same kind and backend, and their step time is scaled by `factor`, the
   * ratio of the two configurations' compute per step (computeCost).
   */
  scaledFrom?: { depth: ResNetDepth; size: number; batchSize: number; factor: number };
}

/**
 * Forward GFLOPs of one 224 px image through each ResNet (torchvision's figures for 18, 34 and
 * 50; ResNet-10 is ResNet-18 with one block a stage). Only ratios are used.
 */
const RESNET_GFLOPS: Record<ResNetDepth, number> = { 10: 0.89, 18: 1.82, 34: 3.67, 50: 4.11 };

/** Compute per training step, up to a constant: the model's FLOPs at this size times the batch. */
export function computeCost(c: { depth: ResNetDepth; size: number; batchSize: number }): number {
  return RESNET_GFLOPS[c.depth] * (c.size / 224) ** 2 * c.batchSize;
}

export interface JobEstimate {
  backend: BackendGuess;
  /** Patches the selection holds (pretrain: with S1; finetune: the training part). */
  patches: number;
  /** The batch the steps are counted in. */
  batchSize: number;
  stepsPerEpoch: number;
  epochs: number;
  /** min(epochs x steps per epoch, max steps): the steps this start will run. */
  steps: number;
  limitedBy: 'epochs' | 'maxSteps';
  /** Seconds per step measured here with this configuration; null when nothing is measured yet. */
  stepSeconds: number | null;
  measured: StepTimeSource | null;
  /** steps x stepSeconds; null without a measurement. */
  seconds: number | null;
}

/** The steps one start of a job runs: every epoch, cut at maxSteps when that comes first. */
export function stepsToRun(stepsPerEpoch: number, epochs: number, maxSteps: number | undefined): { steps: number; limitedBy: JobEstimate['limitedBy'] } {
  const all = stepsPerEpoch * epochs;
  return maxSteps !== undefined && maxSteps < all ? { steps: maxSteps, limitedBy: 'maxSteps' } : { steps: all, limitedBy: 'epochs' };
}

/**
 * Seconds per step over measured jobs: their wall time over their steps, so overheads count too;
 * times the compute ratio when they ran another configuration.
 */
export function stepSecondsOf(source: StepTimeSource): number | null {
  return source.steps > 0 && source.seconds > 0 ? (source.seconds / source.steps) * (source.scaledFrom?.factor ?? 1) : null;
}

/** The research's model and patch size: what only a GPU trains in practical time. */
export function isGpuSized(settings: { depth?: number; size?: number }): boolean {
  return (settings.depth ?? 0) >= 50 || (settings.size ?? 0) >= 256;
}

/** A warning when GPU-sized settings would run on the CPU; null when they fit the machine. */
export function gpuWarning(settings: { depth?: number; size?: number }, backend: BackendGuess): string | null {
  if (backend.device === 'gpu' || !isGpuSized(settings)) return null;
  return (
    `No GPU here: ResNet-${settings.depth} at ${settings.size} px is the research's GPU set-up and would run on ${backend.engine}, ` +
    'at most a few images a second. Choose the CPU-friendly preset or set Max steps to try a few steps.'
  );
}
