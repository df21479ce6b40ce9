/**
 * MoCo training benchmark: images/s of one full MoCo-v2 step (key forward, query forward and
 * backward, SGD, key momentum update, enqueue) for ResNet-18 on 64x64x12 fusion input, batch 32,
 * queue 4096: with the native kernels (core/backend/native, all cores), with the wasm kernels
 * alone (one thread), optionally data parallel over worker threads (ParallelMoco, --workers), and
 * in PyTorch (/usr/bin/python3, the same architecture and step) in the same run. Then a memory
 * soak: RSS and live tensors over many steps of a small configuration.
 *
 *   npm run bench:train        (node dist/bench/train.js)
 *   npx tsx bench/train.ts [--steps 3] [--warmup 1] [--workers 2] [--torch-steps 10]
 *                          [--memory-steps 1000] [--memory-seconds 150] [--no-torch]
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import { intOption, parseCommandLine } from '../core/cli/args.js';
import { initBackend } from '../core/backend/select.js';
import { registerNativeKernels, unregisterNativeKernels } from '../core/backend/native-kernels/register.js';
import type { PairBatch } from '../core/sampler/pairs.js';
import { Moco, type MocoHyper } from '../core/training/moco.js';
import { MOCO_DEFAULTS } from '../core/common/training/pretrain-config.js';
import { ParallelMoco, type ParallelStepTimings } from '../core/training/parallel/parallel-moco.js';
import { Rng } from '../core/util/rng.js';
import { PYTHON, refScript } from './ref/ref-script.js';

const LR = 0.03;

interface Shape {
  depth: MocoHyper['depth'];
  size: number;
  batch: number;
  queueSize: number;
}

const MAIN: Shape = { depth: 18, size: 64, batch: 32, queueSize: 4096 };
const SOAK: Shape = { depth: 10, size: 32, batch: 8, queueSize: 4096 };

const hyperOf = (s: Shape): MocoHyper => ({ ...MOCO_DEFAULTS, depth: s.depth, encoder: { inChannels: 12 }, queueSize: s.queueSize });

function randomPairs(s: Shape, seed: number): PairBatch {
  const rng = new Rng(seed);
  const x = () => tf.tensor4d(Float32Array.from({ length: s.batch * s.size * s.size * 12 }, () => rng.normal()), [s.batch, s.size, s.size, 12]);
  return { q: [{ input: 'fusion', x: x() }], k: [{ input: 'fusion', x: x() }] };
}

interface Rate {
  imagesPerSecond: number;
  /** CPU time of the whole process (all threads) per step: unlike wall time, barely moved by other load. */
  cpuSecondsPerStep: number;
}

interface Row {
  engine: string;
  rate: Rate | null;
  note: string;
}

/** Rates over `steps` timed steps after `warmup` untimed ones. */
async function rate(step: () => unknown, batch: number, warmup: number, steps: number): Promise<Rate> {
  for (let i = 0; i < warmup; i++) await step();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) await step();
  const cpu = process.cpuUsage(c0);
  return { imagesPerSecond: (batch * steps) / ((performance.now() - t0) / 1000), cpuSecondsPerStep: (cpu.user + cpu.system) / 1e6 / steps };
}

function torchMissing(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not found`;
  return r.status === 0 ? null : `torch/torchvision not importable by ${PYTHON}`;
}

function torchRate(s: Shape, threads: number, steps: number): Rate & { version: string } {
  const args = [refScript('torch_moco_step.py'), '--depth', `${s.depth}`, '--size', `${s.size}`, '--batch', `${s.batch}`];
  args.push('--queue', `${s.queueSize}`, '--threads', `${threads}`, '--warmup', '3', '--steps', `${steps}`);
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${PYTHON} torch_moco_step.py failed: ${r.stderr || r.error}`);
  const out = JSON.parse(r.stdout) as { images_per_second: number; cpu_seconds_per_step: number; torch: string };
  return { imagesPerSecond: out.images_per_second, cpuSecondsPerStep: out.cpu_seconds_per_step, version: out.torch };
}

async function throughput(opts: { warmup: number; steps: number; workers: number; torchSteps: number; torch: boolean }) {
  const rows: Row[] = [];
  const breakdowns: { workers: number; mean: ParallelStepTimings }[] = [];
  const pairs = randomPairs(MAIN, 1);
  const hyper = hyperOf(MAIN);

  const native = registerNativeKernels();
  const engines = native.loaded
    ? [{ engine: `ours, native kernels (${native.isa}, ${native.threads} threads)`, native: true }, { engine: 'ours, wasm kernels only (1 thread)', native: false }]
    : [{ engine: 'ours, wasm kernels only (1 thread)', native: false }];
  for (const { engine, native: useNative } of engines) {
    if (useNative) registerNativeKernels();
    else unregisterNativeKernels();
    const moco = new Moco(hyper, 0);
    rows.push({ engine, rate: await rate(() => moco.trainStep(pairs, LR), MAIN.batch, opts.warmup, opts.steps), note: '' });
    moco.dispose();
  }
  registerNativeKernels();
  if (!native.loaded) rows.push({ engine: 'ours, native kernels', rate: null, note: native.error ?? 'not loaded' });

  // Replica workers each start their own backend (native kernels included, sharing one pool).
  for (const workers of opts.workers > 0 ? [...new Set([1, opts.workers])] : []) {
    const parallel = await ParallelMoco.create(hyper, 0, { workers });
    const timings: ParallelStepTimings[] = [];
    try {
      const r = await rate(
        async () => timings.push((await parallel.trainStep(pairs, LR)).timings),
        MAIN.batch,
        opts.warmup,
        opts.steps,
      );
      rows.push({ engine: `ours, ParallelMoco ${workers} worker${workers > 1 ? 's' : ''}`, rate: r, note: '' });
      breakdowns.push({ workers, mean: meanTimings(timings.slice(opts.warmup)) });
    } finally {
      await parallel.dispose();
    }
  }
  tf.dispose([pairs.q[0].x, pairs.k[0].x]);

  const missing = opts.torch ? torchMissing() : 'skipped (--no-torch)';
  for (const threads of [2, 1]) {
    if (missing) {
      rows.push({ engine: `PyTorch, ${threads} threads`, rate: null, note: missing });
      continue;
    }
    const t = torchRate(MAIN, threads, opts.torchSteps);
    rows.push({ engine: `PyTorch ${t.version}, ${threads} thread${threads > 1 ? 's' : ''}`, rate: t, note: '' });
  }
  return { rows, breakdowns };
}

function meanTimings(all: ParallelStepTimings[]): ParallelStepTimings {
  const keys = Object.keys(all[0]) as (keyof ParallelStepTimings)[];
  return Object.fromEntries(keys.map((k) => [k, all.reduce((s, t) => s + t[k], 0) / all.length])) as unknown as ParallelStepTimings;
}

function throughputTable(rows: Row[]): string {
  const torch = rows.filter((r) => r.engine.startsWith('PyTorch')).flatMap((r) => (r.rate ? [r.rate] : []));
  // On a loaded machine 2-thread PyTorch can be slower than 1 thread: compare with its best.
  const bestIps = torch.length > 0 ? Math.max(...torch.map((r) => r.imagesPerSecond)) : null;
  const perCpu = (r: Rate) => MAIN.batch / r.cpuSecondsPerStep;
  const bestPerCpu = torch.length > 0 ? Math.max(...torch.map(perCpu)) : null;
  const ratio = (v: number, best: number | null) => (best === null ? '-' : `${(v / best).toFixed(3)}x`);
  const lines = [
    '| engine | img/s | ratio to PyTorch (best) | CPU s/step | img per CPU-second | ratio to PyTorch (best) | note |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const { engine, rate: r, note } of rows) {
    if (!r) lines.push(`| ${engine} | - | - | - | - | - | ${note} |`);
    else {
      const cells = [r.imagesPerSecond.toFixed(2), ratio(r.imagesPerSecond, bestIps), r.cpuSecondsPerStep.toFixed(2), perCpu(r).toFixed(2), ratio(perCpu(r), bestPerCpu)];
      lines.push(`| ${engine} | ${cells.join(' | ')} | ${note} |`);
    }
  }
  return lines.join('\n');
}

function breakdownTable(breakdowns: { workers: number; mean: ParallelStepTimings }[]): string {
  const labels: Record<keyof ParallelStepTimings, string> = {
    split: 'split views into shares (main)',
    keyForward: 'key forward (slowest worker)',
    queryForwardBackward: 'query forward + backward (slowest worker)',
    reduce: 'gradient average, one slice per worker',
    combine: 'combine loss, BN stats, keys (main)',
    apply: 'SGD + momentum update + enqueue (slowest worker)',
    total: 'total',
  };
  const head = `| phase | ${breakdowns.map((b) => `${b.workers} worker${b.workers > 1 ? 's' : ''} (ms)`).join(' | ')} |`;
  const lines = [head, `| --- |${breakdowns.map(() => ' ---: |').join('')}`];
  for (const [k, label] of Object.entries(labels) as [keyof ParallelStepTimings, string][]) {
    lines.push(`| ${label} | ${breakdowns.map((b) => b.mean[k].toFixed(0)).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Steps before the first sample: the wasm heap and allocator caches grow during the first ones. */
const SOAK_WARMUP = 10;

/** RSS and live tensors over `maxSteps` steps (one process, the chosen backend) after a warm-up, or as many as fit in `maxSeconds`. */
function soak(maxSteps: number, maxSeconds: number) {
  const pairs = randomPairs(SOAK, 2);
  const moco = new Moco(hyperOf(SOAK), 0);
  const samples: { label: string; step: number; rssMB: number; tensors: number }[] = [];
  const sample = (label: string, step: number) =>
    samples.push({ label, step, rssMB: process.memoryUsage().rss / 2 ** 20, tensors: tf.memory().numTensors });
  for (let i = 0; i < SOAK_WARMUP; i++) moco.trainStep(pairs, LR);
  sample('start', 0);
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  let step = 0;
  let middleTaken = false;
  while (step < maxSteps && elapsed() < maxSeconds) {
    moco.trainStep(pairs, LR);
    step++;
    if (!middleTaken && (step >= maxSteps / 2 || elapsed() >= maxSeconds / 2)) {
      sample('middle', step);
      middleTaken = true;
    }
  }
  sample('end', step);
  moco.dispose();
  tf.dispose([pairs.q[0].x, pairs.k[0].x]);
  const lines = ['| when | steps after warm-up | RSS (MB) | tf.memory().numTensors |', '| --- | ---: | ---: | ---: |'];
  for (const s of samples) lines.push(`| ${s.label} | ${s.step} | ${s.rssMB.toFixed(0)} | ${s.tensors} |`);
  return { steps: step, seconds: elapsed(), table: lines.join('\n'), flat: samples.every((s) => s.tensors === samples[0].tensors) };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, {
    steps: { type: 'string' },
    warmup: { type: 'string' },
    workers: { type: 'string' },
    'torch-steps': { type: 'string' },
    'memory-steps': { type: 'string' },
    'memory-seconds': { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
  });
  const positive = (v: string | undefined, name: string, fallback: number) => {
    const n = intOption(v, name, fallback);
    if (n < 1) throw new Error(`--${name} must be at least 1, got ${n}`);
    return n;
  };
  const steps = positive(values.steps, 'steps', 3);
  const warmup = intOption(values.warmup, 'warmup', 1);
  // The native kernels already use every core: data parallel workers are opt-in.
  const workers = intOption(values.workers, 'workers', 0);
  const torchSteps = positive(values['torch-steps'], 'torch-steps', 10);
  const memorySteps = positive(values['memory-steps'], 'memory-steps', 1000);
  const memorySeconds = positive(values['memory-seconds'], 'memory-seconds', 150);

  const info = await initBackend({ purpose: 'train' });
  const s = MAIN;
  console.log(`# MoCo training benchmark\n`);
  console.log(`ResNet-${s.depth}, ${s.size}x${s.size}x12 fusion input, batch ${s.batch}, queue ${s.queueSize}, temperature ${MOCO_DEFAULTS.temperature}, SGD momentum ${MOCO_DEFAULTS.sgdMomentum} wd ${MOCO_DEFAULTS.weightDecay}, key momentum ${MOCO_DEFAULTS.keyMomentum}.`);
  console.log(`Backend: ${info.name}${info.wasm ? ` (SIMD ${info.wasm.simd}, ${info.wasm.threads} thread)` : ''}${info.native?.loaded ? `, native kernels ${info.native.isa} on ${info.native.threads} threads` : ''}. ${warmup} warm-up + ${steps} timed steps each (PyTorch: 3 + ${torchSteps}).\n`);

  // The soak runs first, in a fresh process, so the large model's heap does not hide its trend.
  const m = soak(memorySteps, memorySeconds);
  const { rows, breakdowns } = await throughput({ warmup, steps, workers, torchSteps, torch: !values['no-torch'] });
  console.log('## Throughput\n');
  console.log(throughputTable(rows) + '\n');
  console.log('CPU time counts every thread of the process; on a shared machine it is the steadier figure. img/s is wall clock.\n');
  if (breakdowns.length > 0) {
    console.log('## Where a ParallelMoco step goes (mean over the timed steps)\n');
    console.log(breakdownTable(breakdowns) + '\n');
  }

  console.log(`## Memory: ResNet-${SOAK.depth}, ${SOAK.size}x${SOAK.size}, batch ${SOAK.batch}, on the training backend\n`);
  console.log(`${SOAK_WARMUP} warm-up steps, then ${m.steps} steps in ${m.seconds.toFixed(0)} s${m.steps < memorySteps ? ` (stopped at the ${memorySeconds} s limit before ${memorySteps})` : ''}; tensor count ${m.flat ? 'flat' : 'NOT flat'}.\n`);
  console.log(m.table);
}

await main(process.argv.slice(2));
