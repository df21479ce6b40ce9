import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { parseCommandLine } from '../args.js';
import { queryNvidiaSmi } from '../../backend/nvidia-smi.js';
import { installedVersion } from '../../backend/optional-packages.js';
import { BackendRefusedError, initBackend, type BackendInfo } from '../../backend/select.js';

export const summary =
  'Print, as one JSON object, the TensorFlow.js backends found, the one training would use and why, the GPU/CUDA seen, and versions.';
export const usage = 'sen12ms-studio doctor';

async function trainingBackend(): Promise<{ info?: BackendInfo; refused?: BackendRefusedError }> {
  try {
    return { info: await initBackend({ purpose: 'train' }) };
  } catch (err) {
    if (err instanceof BackendRefusedError) return { refused: err };
    throw err;
  }
}

export async function run(argv: string[]): Promise<number> {
  parseCommandLine(argv, {});
  const [{ info, refused }, nvidiaSmi] = await Promise.all([trainingBackend(), queryNvidiaSmi()]);
  const report = {
    backends: info?.found ?? refused?.found ?? {},
    training: info
      ? { backend: info.name, tfBackend: info.tfBackend, reason: info.reason }
      : { backend: null, error: refused?.message },
    gpu: {
      cuda: info?.gpu.cuda ?? false,
      nvidiaSmi,
    },
    versions: {
      node: process.versions.node,
      tfjsCore: tf.version_core,
      tfjsBackendWasm: installedVersion('@tensorflow/tfjs-backend-wasm') ?? null,
      tfjsBackendCpu: installedVersion('@tensorflow/tfjs-backend-cpu') ?? null,
      tfjsLayers: installedVersion('@tensorflow/tfjs-layers') ?? null,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      wasm: info?.wasm ?? null,
    },
    // On wasm: the C++ kernels (convolutions, BatchNorm) and the SIMD level and threads they use.
    nativeKernels: info?.native ?? null,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return info ? 0 : 1;
}
