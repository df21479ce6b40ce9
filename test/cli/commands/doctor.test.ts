import { afterEach, describe, expect, it, vi } from 'vitest';
import * as doctor from '../../../core/cli/commands/doctor.js';

describe('sen12ms-studio doctor', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one JSON object with the backends, the training choice, GPU and versions', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const code = await doctor.run([]);
    const report = JSON.parse(out.join(''));
    expect(Object.keys(report)).toEqual(['backends', 'training', 'gpu', 'versions', 'nativeKernels']);
    for (const name of ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']) expect(typeof report.backends[name].ok).toBe('boolean');
    expect(code).toBe(report.training.backend ? 0 : 1);
    expect(report.backends[report.training.backend].ok).toBe(true);
    expect(report.training.reason).toMatch(/\S/);
    expect(typeof report.gpu.cuda).toBe('boolean');
    expect(typeof report.gpu.nvidiaSmi.present).toBe('boolean');
    expect(report.versions.node).toBe(process.versions.node);
    expect(report.versions.tfjsCore).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.versions.cpus).toBeGreaterThan(0);
    // Here the wasm backend trains; the addon is built by npm install, so it says it loaded.
    if (report.training.backend === 'wasm' && process.env.SEN12MS_NATIVE_KERNELS !== '0') {
      expect(report.nativeKernels).toMatchObject({ loaded: true, threads: expect.any(Number) });
      expect(['avx512', 'avx2', 'generic']).toContain(report.nativeKernels.isa);
    }
  });

  it('takes no options', async () => {
    await expect(doctor.run(['--fast'])).rejects.toThrow(/--fast/);
  });
});
