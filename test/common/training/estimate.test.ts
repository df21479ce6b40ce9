import { describe, expect, it } from 'vitest';
import { computeCost, gpuWarning, isGpuSized, stepSecondsOf, stepsToRun, type BackendGuess } from '../../../core/common/training/estimate.js';
import { NATIVE_BACKEND_DEFAULTS, CPU_BACKEND_DEFAULTS } from '../../../core/common/training/backend-defaults.js';

const cpu: BackendGuess = { backend: 'wasm', engine: 'wasm with native CPU kernels (avx2, 2 threads)', device: 'cpu', reason: 'test' };
const gpu: BackendGuess = { backend: 'tfjs-node-gpu', engine: 'TensorFlow with CUDA', device: 'gpu', gpu: 'H200', reason: 'test' };

describe('training estimate rules', () => {
  it('runs every epoch unless Max steps comes first', () => {
    expect(stepsToRun(4, 15, undefined)).toEqual({ steps: 60, limitedBy: 'epochs' });
    expect(stepsToRun(4, 15, 100)).toEqual({ steps: 60, limitedBy: 'epochs' });
    expect(stepsToRun(4, 15, 6)).toEqual({ steps: 6, limitedBy: 'maxSteps' });
  });

  it('takes a step time from wall time over steps, none without a measurement', () => {
    expect(stepSecondsOf({ jobs: ['a'], steps: 40, seconds: 60 })).toBe(1.5);
    expect(stepSecondsOf({ jobs: [], steps: 0, seconds: 0 })).toBeNull();
    expect(stepSecondsOf({ jobs: ['a'], steps: 40, seconds: 60, scaledFrom: { depth: 10, size: 32, batchSize: 8, factor: 4 } })).toBe(6);
  });

  it('scales compute per step with the batch, the square of the size and the model', () => {
    const base = { depth: 10 as const, size: 32, batchSize: 8 };
    expect(computeCost({ ...base, batchSize: 16 }) / computeCost(base)).toBeCloseTo(2, 12);
    expect(computeCost({ ...base, size: 64 }) / computeCost(base)).toBeCloseTo(4, 12);
    // torchvision's FLOPs: ResNet-50 about 2.26x ResNet-18
    expect(computeCost({ ...base, depth: 50 }) / computeCost({ ...base, depth: 18 })).toBeCloseTo(4.11 / 1.82, 12);
    expect(computeCost({ ...base, depth: 18 })).toBeGreaterThan(computeCost(base));
  });

  it("warns about the research's sizes on a CPU, not on a GPU, and not about the CPU defaults", () => {
    expect(isGpuSized(NATIVE_BACKEND_DEFAULTS)).toBe(true);
    expect(isGpuSized(CPU_BACKEND_DEFAULTS)).toBe(false);
    expect(gpuWarning(NATIVE_BACKEND_DEFAULTS, cpu)).toMatch(/^No GPU here: ResNet-50 at 256 px .* wasm with native CPU kernels/);
    expect(gpuWarning(NATIVE_BACKEND_DEFAULTS, gpu)).toBeNull();
    expect(gpuWarning(CPU_BACKEND_DEFAULTS, cpu)).toBeNull();
    expect(gpuWarning({ depth: 18, size: 256 }, cpu)).not.toBeNull();
  });
});
