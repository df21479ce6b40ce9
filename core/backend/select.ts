import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_CHOICES, type BackendChoice } from '../common/training/backends.js';
import { queryNvidiaSmi, type GpuDevice } from './nvidia-smi.js';
import { errorSummary, importOptional, installedVersion, type PackageStatus } from './optional-packages.js';
import { wasmBinaryDir } from './wasm-paths.js';
import { registerTrainingGradients } from './training-gradients.js';
import { registerWasmTrainingKernels } from './wasm-kernels/register.js';
import { registerNativeKernels, type NativeKernelInfo } from './native-kernels/register.js';


export interface BackendOptions {
  purpose: 'train' | 'infer';
  prefer?: BackendChoice;
}

export interface BackendInfo {
  name: BackendChoice;
  /** The name tfjs knows the backend by (`tf.getBackend()`): 'tensorflow', 'wasm' or 'cpu'. */
  tfBackend: string;
  reason: string;
  found: Record<BackendChoice, PackageStatus>;
  gpu: { cuda: boolean; devices?: GpuDevice[] };
  wasm?: { simd: boolean; threads: number };
  /** On wasm: whether the native kernels (core/backend/native) replace its convolutions and BatchNorm. */
  native?: NativeKernelInfo;
}

/** Training was asked for but only the pure-JS cpu backend is available (or was asked for). */
export class BackendRefusedError extends Error {
  constructor(
    message: string,
    /** Why each backend that was tried failed. */
    readonly found: Partial<Record<BackendChoice, PackageStatus>> = {},
  ) {
    super(message);
  }
}


const PACKAGES: Record<BackendChoice, string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

// One train step of a small ResNet at batch 32 took 255 s on it (TOOLING-FACTS.md).
const CPU_TOO_SLOW =
  'the cpu backend is too slow to train: install @tensorflow/tfjs-node-gpu (CUDA) or ' +
  '@tensorflow/tfjs-node, or use the wasm backend (a small ResNet step takes minutes on cpu)';

const TF_NAMES: Record<BackendChoice, string> = {
  'tfjs-node-gpu': 'tensorflow',
  'tfjs-node': 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

let wasmPathsSet = false;

/** Loads one candidate's package and makes it the active tfjs backend; throws why it cannot. */
async function activate(choice: BackendChoice): Promise<PackageStatus> {
  const { status, module } = await importOptional(PACKAGES[choice]);
  if (!status.ok) return status;
  if (choice === 'wasm' && !wasmPathsSet) {
    // Must happen before the wasm backend first initialises; later calls would throw.
    (module as typeof import('@tensorflow/tfjs-backend-wasm')).setWasmPaths(wasmBinaryDir());
    wasmPathsSet = true;
  }
  try {
    if (!(await tf.setBackend(TF_NAMES[choice]))) {
      return { ...status, ok: false, error: `tfjs could not initialise the '${TF_NAMES[choice]}' backend` };
    }
  } catch (err) {
    return { ...status, ok: false, error: errorSummary(err) };
  }
  if (choice === 'wasm') {
    registerWasmTrainingKernels();
    registerNativeKernels();
  } else {
    registerTrainingGradients();
  }
  return status;
}

function candidates(prefer: BackendChoice | undefined): BackendChoice[] {
  return prefer ? [prefer, ...BACKEND_CHOICES.filter((c) => c !== prefer)] : [...BACKEND_CHOICES];
}

function failures(found: Partial<Record<BackendChoice, PackageStatus>>): string {
  return Object.entries(found)
    .filter(([, s]) => !s.ok)
    .map(([name, s]) => `${name}: ${s.error}`)
    .join('; ');
}

async function select(opts: BackendOptions): Promise<BackendInfo> {
  if (opts.purpose === 'train' && opts.prefer === 'cpu') throw new BackendRefusedError(CPU_TOO_SLOW);
  const found: Partial<Record<BackendChoice, PackageStatus>> = {};
  let chosen: BackendChoice | undefined;
  for (const choice of candidates(opts.prefer)) {
    if (choice === 'cpu' && opts.purpose === 'train') continue;
    found[choice] = await activate(choice);
    if (found[choice].ok) {
      chosen = choice;
      break;
    }
  }
  if (!chosen) {
    const why = failures(found);
    if (opts.purpose === 'train') throw new BackendRefusedError(`${CPU_TOO_SLOW} (${why})`, found);
    throw new Error(`no tfjs backend could be started: ${why}`);
  }
  for (const choice of BACKEND_CHOICES) {
    const version = installedVersion(PACKAGES[choice]);
    found[choice] ??= { ok: false, ...(version ? { version } : {}), error: `not tried: ${chosen} was chosen first` };
  }
  const preferred = opts.prefer === undefined || opts.prefer === chosen;
  const reason = preferred
    ? opts.prefer
      ? `${chosen} was asked for`
      : `${chosen} is the fastest backend that loads here`
    : `${opts.prefer} was asked for but failed (${found[opts.prefer!]?.error}); ${chosen} is the next that loads`;
  const cuda = chosen === 'tfjs-node-gpu';
  const info: BackendInfo = {
    name: chosen,
    tfBackend: tf.getBackend(),
    reason,
    found: found as Record<BackendChoice, PackageStatus>,
    gpu: cuda ? { cuda, devices: (await queryNvidiaSmi()).devices } : { cuda },
  };
  if (chosen === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    info.wasm = { simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')), threads: wasm.getThreadsCount() };
    info.native = registerNativeKernels();
  }
  return info;
}

const selections = new Map<string, Promise<BackendInfo>>();

/**
 * Picks and starts the tfjs backend: tfjs-node-gpu (CUDA), tfjs-node, wasm (with the training
 * kernels of ./wasm-kernels), then cpu for inference only. Calling again with the same options
 * returns the same answer without redoing the work.
 */
export function initBackend(opts: BackendOptions): Promise<BackendInfo> {
  const key = `${opts.purpose}/${opts.prefer ?? ''}`;
  let pending = selections.get(key);
  if (!pending) {
    pending = select(opts);
    selections.set(key, pending);
    // A refusal may be fixed (by installing a package) without restarting: do not remember it.
    pending.catch(() => selections.delete(key));
  }
  return pending.then(async (info) => {
    // Another selection may have switched tfjs to a different backend since.
    if (tf.getBackend() !== info.tfBackend) await tf.setBackend(info.tfBackend);
    return info;
  });
}
