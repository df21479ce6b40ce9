import type { ResNetDepth } from './model-options.js';
import { CPU_QUEUE_SIZE } from './pretrain-config.js';

/** What the defaults depend on: the TensorFlow.js backend name core/backend/select.ts reports. */
export interface BackendIdentity {
  tfBackend: string;
}

/** True on tfjs-node(-gpu); the research's sizes are only practical there. */
export function isNativeBackend(info: BackendIdentity): boolean {
  return info.tfBackend === 'tensorflow';
}

/** The defaults that depend on the backend, for every front end (CLI commands, app jobs). */
export interface BackendDefaults {
  depth: ResNetDepth;
  size: number;
  /** Pretraining batch size (finetuning keeps the research's 64 everywhere). */
  batchSize: number;
  /** MoCo queue length; undefined keeps the research's 65,536. */
  queueSize: number | undefined;
}

/**
 * On CPU backends the research's ResNet-50 at 256 px with a 65,536-key queue would take weeks;
 * smaller defaults keep a run practical, and every one of them can be overridden.
 */
export function backendDefaults(info: BackendIdentity): BackendDefaults {
  return isNativeBackend(info)
    ? { depth: 50, size: 256, batchSize: 64, queueSize: undefined }
    : { depth: 18, size: 64, batchSize: 32, queueSize: CPU_QUEUE_SIZE };
}
