import { describe, expect, it } from 'vitest';
import type { JobEstimate } from '../../../../core/common/training/estimate.js';
import { backendText, jobSettings, stepsText, timeText } from '../../../../renderer/src/lib/training/estimate-text.js';
import { jobInfo } from './job-fixtures.js';

const base: JobEstimate = {
  backend: { backend: 'wasm', engine: 'wasm with native CPU kernels (avx2, 2 threads)', device: 'cpu', reason: 'r' },
  patches: 32,
  batchSize: 8,
  stepsPerEpoch: 4,
  epochs: 15,
  steps: 60,
  limitedBy: 'epochs',
  stepSeconds: null,
  measured: null,
  seconds: null,
};

describe('estimate text', () => {
  it('says how many steps and why', () => {
    expect(stepsText(base)).toBe('60 steps: 15 epochs of 4 steps (32 patches)');
    expect(stepsText({ ...base, steps: 6, limitedBy: 'maxSteps' })).toBe('6 steps, cut by Max steps from 15 epochs of 4 steps (32 patches)');
    expect(stepsText({ ...base, patches: 43, batchSize: 64, stepsPerEpoch: 0, steps: 0 })).toBe('no step: the selection holds 43 patches, fewer than one batch of 64');
  });

  it('gives the time with how it was measured, or says it is not measured', () => {
    expect(timeText(base)).toMatch(/^time not measured yet/);
    const measured = { ...base, stepSeconds: 1.5, seconds: 90, measured: { jobs: ['job-1'], steps: 40, seconds: 60 } };
    expect(timeText(measured)).toBe(
      'about 1 min 30 s (1.50 s a step, measured here: 40 steps in 1 min 00 s over 1 finished job of this configuration, start-up, validation and checkpoints included)',
    );
    const scaled = { ...base, stepSeconds: 6, seconds: 360, measured: { jobs: ['job-1'], steps: 40, seconds: 60, scaledFrom: { depth: 10 as const, size: 32, batchSize: 8, factor: 4 } } };
    expect(timeText(scaled)).toBe(
      'roughly 6 min 00 s (6.00 s a step: a finished job here with ResNet-10 at 32 px, batch 8, ran 1.50 s a step, scaled ×4.0 by compute; a run of this configuration measures it)',
    );
  });

  it('names the device and engine', () => {
    expect(backendText(base.backend)).toBe('CPU: wasm with native CPU kernels (avx2, 2 threads)');
    expect(backendText({ backend: null, engine: 'none', device: 'cpu', reason: 'nothing installed' })).toMatch(/^No backend can train here: nothing installed/);
  });

  it("lists a running job's settings as the form names them", () => {
    const job = jobInfo('job-1', 'pretrain', { strategy: 'sensor-pairs', depth: 10, size: 32, epochs: 15, batchSize: 8, lr: 0.03, subset: 'random:32', queueSize: 16, keepCheckpoints: 2 });
    expect(Object.fromEntries(jobSettings(job))).toMatchObject({
      Architecture: 'ResNet-10',
      Size: '32 px',
      Subset: 'random:32',
      Epochs: '15',
      Batch: '8',
      LR: '0.03',
      Queue: '16',
      'Checkpoints kept': 'last, best + 2 older',
    });
    expect(jobSettings(jobInfo('job-2', 'evaluate', { model: 'm' }))).toEqual([]);
  });
});
