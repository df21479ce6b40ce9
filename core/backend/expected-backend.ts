/**
 * Which backend a training job would load, told without loading TensorFlow.js: the automatic
 * choice's order (select.ts) over the packages installed, the GPU nvidia-smi sees and the native
 * kernels. The service says it before a job starts; the job's log names the one it really loaded.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { TRAINING_BACKENDS, type TrainingBackend } from '../common/training/backends.js';
import type { BackendGuess } from '../common/training/estimate.js';
import { loadNativeKernels } from './native-kernels/addon.js';
import { queryNvidiaSmi, type NvidiaSmiReport } from './nvidia-smi.js';
import { installedVersion } from './optional-packages.js';

const PACKAGES: Record<TrainingBackend, string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

export interface MachineFacts {
  /** Installed and able to load: the tfjs-node builds need their native binding built too. */
  installed: (backend: TrainingBackend) => boolean;
  gpu: NvidiaSmiReport;
  native: { loaded: boolean; isa?: string; threads?: number; error?: string };
}

/** The guess from what this machine has; pure, so the order is tested without the packages. */
export function guessBackend(facts: MachineFacts, prefer?: TrainingBackend): BackendGuess {
  const order = prefer ? [prefer, ...TRAINING_BACKENDS.filter((b) => b !== prefer)] : [...TRAINING_BACKENDS];
  const gpuName = facts.gpu.devices?.[0]?.name;
  const skipped: string[] = [];
  for (const backend of order) {
    if (!facts.installed(backend)) {
      skipped.push(`${backend} not installed or not built`);
      continue;
    }
    if (backend === 'tfjs-node-gpu' && gpuName === undefined) {
      skipped.push('tfjs-node-gpu: no CUDA GPU');
      continue;
    }
    const why = skipped.length > 0 ? `${skipped.join('; ')}` : prefer === backend ? 'asked for' : 'the first in the automatic order';
    if (backend === 'tfjs-node-gpu') return { backend, engine: `TensorFlow with CUDA on ${gpuName} (tfjs-node-gpu)`, device: 'gpu', gpu: gpuName, reason: why };
    if (backend === 'tfjs-node') return { backend, engine: 'TensorFlow on the CPU (tfjs-node)', device: 'cpu', reason: why };
    const native = facts.native.loaded
      ? `native CPU kernels (${facts.native.isa}, ${facts.native.threads} threads)`
      : `its own kernels (native kernels off: ${facts.native.error ?? 'not loaded'})`;
    return { backend, engine: `wasm with ${native}`, device: 'cpu', reason: why };
  }
  return { backend: null, engine: 'none', device: 'cpu', reason: `no backend can train: ${skipped.join('; ')}` };
}

/**
 * Whether a tfjs-node package's native binding (lib/napi-v<N>/tfjs_binding.node, built or
 * downloaded at install) is there: without it the package is installed but cannot load.
 */
function tfBindingBuilt(name: string): boolean {
  try {
    const lib = join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), 'lib');
    return existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
  } catch {
    return false;
  }
}

let cached: Promise<MachineFacts> | undefined;

/** This machine's facts, asked once (nvidia-smi takes a moment; packages do not change while the app runs). */
function machineFacts(): Promise<MachineFacts> {
  cached ??= queryNvidiaSmi().then((gpu) => {
    const status = loadNativeKernels();
    const native = status.ok ? { loaded: true, ...status.kernels.info() } : { loaded: false, error: status.error };
    return { installed: (b: TrainingBackend) => installedVersion(PACKAGES[b]) !== undefined && (b === 'wasm' || tfBindingBuilt(PACKAGES[b])), gpu, native };
  });
  return cached;
}

export async function expectedTrainingBackend(prefer?: TrainingBackend): Promise<BackendGuess> {
  return guessBackend(await machineFacts(), prefer);
}
