import { describe, expect, it } from 'vitest';
import { guessBackend, type MachineFacts } from '../../core/backend/expected-backend.js';
import type { TrainingBackend } from '../../core/common/training/backends.js';

function facts(installed: TrainingBackend[], gpu?: string, native = true): MachineFacts {
  return {
    installed: (b) => installed.includes(b),
    gpu: gpu ? { present: true, devices: [{ name: gpu, memoryTotal: '141 GiB' }] } : { present: false },
    native: native ? { loaded: true, isa: 'avx2', threads: 16 } : { loaded: false, error: 'not built' },
  };
}

describe('guessBackend', () => {
  it('takes tfjs-node-gpu only with a GPU, as the automatic choice does', () => {
    expect(guessBackend(facts(['tfjs-node-gpu', 'tfjs-node', 'wasm'], 'NVIDIA H200'))).toMatchObject({ backend: 'tfjs-node-gpu', device: 'gpu', gpu: 'NVIDIA H200' });
    const noGpu = guessBackend(facts(['tfjs-node-gpu', 'tfjs-node', 'wasm']));
    expect(noGpu).toMatchObject({ backend: 'tfjs-node', device: 'cpu' });
    expect(noGpu.reason).toBe('tfjs-node-gpu: no CUDA GPU');
  });

  it('falls back to wasm and says whether the native kernels run', () => {
    expect(guessBackend(facts(['wasm'])).engine).toBe('wasm with native CPU kernels (avx2, 16 threads)');
    expect(guessBackend(facts(['wasm'], undefined, false)).engine).toMatch(/native kernels off: not built/);
    expect(guessBackend(facts(['wasm'])).reason).toMatch(/^tfjs-node-gpu not installed or not built; tfjs-node not installed or not built$/);
  });

  it('honours an asked-for backend and says when none can train', () => {
    expect(guessBackend(facts(['tfjs-node', 'wasm']), 'wasm')).toMatchObject({ backend: 'wasm', reason: 'asked for' });
    expect(guessBackend(facts([]))).toMatchObject({ backend: null, device: 'cpu' });
  });
});
