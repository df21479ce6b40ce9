import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParamStore } from '../../core/models/params.js';
import { momentumUpdate } from '../../core/training/momentum-update.js';
import { Adam, Sgd } from '../../core/training/optimizers.js';
import { learningRate } from '../../core/training/schedule.js';

const torchAvailable = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

let nextId = 0;
function store(values: Record<string, number[]>): ParamStore {
  return new Map(Object.entries(values).map(([k, v]) => [k, tf.variable(tf.tensor1d(v), true, `${k}_${nextId++}`)]));
}

/** Runs torch.optim on the same parameters and gradient sequence; returns the final parameters. */
function torchReference(kind: 'sgd' | 'adam', p0: number[], grads: number[][], lrs: number[]): number[] {
  const script = `
import json, sys, torch
cfg = json.load(sys.stdin)
p = torch.nn.Parameter(torch.tensor(cfg['p0'], dtype=torch.float64))
opt = (torch.optim.SGD([p], lr=1.0, momentum=0.9, weight_decay=1e-4) if cfg['kind'] == 'sgd'
       else torch.optim.Adam([p], lr=1.0, weight_decay=1e-5))
for g, lr in zip(cfg['grads'], cfg['lrs']):
    for group in opt.param_groups: group['lr'] = lr
    p.grad = torch.tensor(g, dtype=torch.float64)
    opt.step()
print(json.dumps(p.detach().tolist()))
`;
  const out = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify({ kind, p0, grads, lrs }), encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout);
}

describe('optimizers follow PyTorch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const p0 = [0.5, -1.25, 2];
  const grads = [
    [0.1, -0.2, 0.3],
    [0.05, 0.4, -0.1],
    [-0.3, 0.1, 0.2],
  ];
  const lrs = [0.03, 0.02, 0.01];

  it('SGD momentum 0.9, weight decay 1e-4: hand-worked first two steps', () => {
    const params = store({ w: [1] });
    const opt = new Sgd(params, ['w'], { momentum: 0.9, weightDecay: 1e-4 });
    opt.step(new Map([['w', tf.tensor1d([0.5])]]), 0.1);
    // d = 0.5 + 1e-4 * 1 = 0.5001; buf = 0.5001; w = 1 - 0.1 * 0.5001 = 0.94999
    expect(params.get('w')!.dataSync()[0]).toBeCloseTo(0.94999, 6);
    opt.step(new Map([['w', tf.tensor1d([0.5])]]), 0.1);
    // d = 0.5 + 1e-4 * 0.94999 = 0.500094999; buf = 0.9 * 0.5001 + d = 0.950184999; w = 0.94999 - 0.0950185
    expect(params.get('w')!.dataSync()[0]).toBeCloseTo(0.8549715, 6);
  });

  it.skipIf(!torchAvailable)('SGD matches torch.optim.SGD over three steps (needs /usr/bin/python3 with torch)', () => {
    const params = store({ w: p0 });
    const opt = new Sgd(params, ['w'], { momentum: 0.9, weightDecay: 1e-4 });
    grads.forEach((g, i) => opt.step(new Map([['w', tf.tensor1d(g)]]), lrs[i]));
    const ref = torchReference('sgd', p0, grads, lrs);
    Array.from(params.get('w')!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
  });

  it.skipIf(!torchAvailable)('Adam matches torch.optim.Adam over three steps (needs /usr/bin/python3 with torch)', () => {
    const params = store({ w: p0 });
    const opt = new Adam(params, ['w'], { weightDecay: 1e-5 });
    grads.forEach((g, i) => opt.step(new Map([['w', tf.tensor1d(g)]]), lrs[i]));
    const ref = torchReference('adam', p0, grads, lrs);
    Array.from(params.get('w')!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
  });

  it('saves and restores its slots so a resumed run continues identically', () => {
    const a = store({ w: p0 });
    const optA = new Adam(a, ['w'], { weightDecay: 1e-5 });
    grads.forEach((g, i) => optA.step(new Map([['w', tf.tensor1d(g)]]), lrs[i]));

    const b = store({ w: p0 });
    const optB = new Adam(b, ['w'], { weightDecay: 1e-5 });
    optB.step(new Map([['w', tf.tensor1d(grads[0])]]), lrs[0]);
    const saved = new Map([...optB.slots()].map(([k, v]) => [k, v.clone()]));
    const savedW = b.get('w')!.clone();
    const c = store({ w: [0, 0, 0] });
    c.get('w')!.assign(savedW);
    const optC = new Adam(c, ['w'], { weightDecay: 1e-5 });
    optC.loadSlots(saved, optB.stepCount());
    grads.slice(1).forEach((g, i) => optC.step(new Map([['w', tf.tensor1d(g)]]), lrs[i + 1]));
    expect(Array.from(c.get('w')!.dataSync())).toEqual(Array.from(a.get('w')!.dataSync()));
  });

  it('leaves parameters without a gradient untouched', () => {
    const params = store({ a: [1], b: [2] });
    new Sgd(params, ['a', 'b'], { momentum: 0.9, weightDecay: 0 }).step(new Map([['a', tf.tensor1d([1])]]), 0.5);
    expect(params.get('a')!.dataSync()[0]).toBe(0.5);
    expect(params.get('b')!.dataSync()[0]).toBe(2);
  });
});

describe('momentum update of the key encoder', () => {
  it('moves key parameters towards the query by 1 - m', () => {
    const key = store({ w: [0, 10] });
    const query = store({ w: [1, 0] });
    momentumUpdate(key, query, ['w'], 0.9);
    const [a, b] = Array.from(key.get('w')!.dataSync());
    expect(a).toBeCloseTo(0.1, 6);
    expect(b).toBeCloseTo(9, 6);
    expect(Array.from(query.get('w')!.dataSync())).toEqual([1, 0]);
  });
});

describe('learning-rate schedules', () => {
  it('cosine decays from the base rate to zero', () => {
    const s = { kind: 'cosine', baseLr: 0.03, totalSteps: 100 } as const;
    expect(learningRate(s, 0)).toBeCloseTo(0.03, 10);
    expect(learningRate(s, 50)).toBeCloseTo(0.015, 10);
    expect(learningRate(s, 100)).toBeCloseTo(0, 10);
  });

  it('warm-up rises linearly, then the cosine starts at the base rate', () => {
    const s = { kind: 'cosine', baseLr: 0.1, totalSteps: 110, warmupSteps: 10 } as const;
    expect(learningRate(s, 0)).toBeCloseTo(0.01, 10);
    expect(learningRate(s, 9)).toBeCloseTo(0.1, 10);
    expect(learningRate(s, 10)).toBeCloseTo(0.1, 10);
  });

  it('step decays by gamma every stepSize epochs', () => {
    const s = { kind: 'step', baseLr: 1e-3, stepSize: 30, gamma: 0.1 } as const;
    expect(learningRate(s, 0, 29)).toBeCloseTo(1e-3, 12);
    expect(learningRate(s, 0, 30)).toBeCloseTo(1e-4, 12);
    expect(learningRate(s, 0, 65)).toBeCloseTo(1e-5, 12);
  });
});
