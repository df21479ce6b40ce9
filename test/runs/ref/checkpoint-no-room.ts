// Saves a small checkpoint, then one too large for the file-size limit the test set (tests only).
import { saveCheckpoint } from '../../../core/runs/checkpoint.js';
import { createRun } from '../../../core/runs/run-dir.js';
import { Rng } from '../../../core/util/rng.js';

// Without a handler the kernel's SIGXFSZ ends the process; with one, the write fails with EFBIG.
process.on('SIGXFSZ', () => {});

const run = await createRun(process.argv[2], { kind: 'pretrain', seed: 1, trainer: {} });
const state = (step: number) => ({ step, epoch: 0, rng: new Rng(step).state(), dataOrder: null, configHash: run.configHash });
const weights = (n: number) => ({ model: new Map([['fc.weight', { dtype: 'float32' as const, shape: [n], values: new Float32Array(n).fill(0.5) }]]) });
await saveCheckpoint(run.dir, 'periodic', state(1), weights(1024));
try {
  await saveCheckpoint(run.dir, 'periodic', state(2), weights(1 << 20));
  process.stdout.write(JSON.stringify({ runDir: run.dir, error: null }));
} catch (err) {
  process.stdout.write(JSON.stringify({ runDir: run.dir, error: (err as NodeJS.ErrnoException).code ?? String(err) }));
}
