import { readFile, readdir, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatasetFileError } from '../../core/common/util/file-error.js';
import { readTensors } from '../../core/formats/host-tensor.js';
import { decodeSafetensors, encodeSafetensors } from '../../core/formats/safetensors.js';
import type { CheckpointState } from '../../core/runs/checkpoint-format.js';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint, type CheckpointTensors } from '../../core/runs/checkpoint.js';
import { readCheckpointIndex } from '../../core/runs/checkpoint-index.js';
import { selectCheckpoint } from '../../core/runs/checkpoint-select.js';
import { restoreParams } from '../../core/weights/restore-params.js';
import { createRun, type Run } from '../../core/runs/run-dir.js';
import { Rng } from '../../core/util/rng.js';

let root: string;
let run: Run;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ckpt-'));
  run = await createRun(root, { kind: 'pretrain', seed: 1, trainer: {} });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function state(step: number): CheckpointState {
  return { step, epoch: Math.floor(step / 10), rng: new Rng(step).state(), dataOrder: { seed: 3, position: step * 64 }, configHash: run.configHash, extra: { bestF1: 0.5 } };
}

/** Live tfjs tensors (CheckpointTensors also takes host values). */
interface TfCheckpointTensors extends CheckpointTensors {
  model: Map<string, tf.Variable>;
  optimizer: Map<string, Map<string, tf.Tensor>>;
  extra: Map<string, tf.Tensor>;
}

function tensors(seed: number): TfCheckpointTensors {
  const rng = new Rng(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return {
    model: new Map<string, tf.Variable>([
      ['conv1.weight', tf.variable(tf.tensor4d(values(2 * 2 * 3 * 4), [2, 2, 3, 4]))],
      ['bn1.running_mean', tf.variable(tf.tensor1d(values(4)), false)],
    ]),
    optimizer: new Map([['momentum', new Map([['conv1.weight', tf.tensor4d(values(48), [2, 2, 3, 4])]])]]),
    extra: new Map<string, tf.Tensor>([
      ['queue', tf.tensor2d(values(8 * 5), [8, 5])],
      ['queue_ptr', tf.tensor1d([3], 'int32')],
    ]),
  };
}

const ckptDir = () => join(run.dir, 'checkpoints');

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips model, optimizer slots, extra tensors and the resume state', async () => {
    const saved = tensors(1);
    const entry = await saveCheckpoint(run.dir, 'periodic', state(120), saved);
    expect(entry.file).toBe('step-000120.safetensors');
    const loaded = await loadCheckpoint(join(ckptDir(), entry.file), entry.sha256);
    expect(loaded.kind).toBe('periodic');
    expect(loaded.state).toEqual(state(120));
    expect([...loaded.model.keys()].sort()).toEqual(['bn1.running_mean', 'conv1.weight']);
    expect(loaded.model.get('conv1.weight')!.shape).toEqual([2, 2, 3, 4]);
    expect([...loaded.model.get('conv1.weight')!.values]).toEqual([...saved.model.get('conv1.weight')!.dataSync()]);
    expect([...loaded.optimizer.get('momentum')!.get('conv1.weight')!.values]).toEqual([
      ...saved.optimizer!.get('momentum')!.get('conv1.weight')!.dataSync(),
    ]);
    expect(loaded.extra.get('queue_ptr')).toEqual({ dtype: 'int32', shape: [1], values: new Int32Array([3]) });
    expect([...loaded.extra.get('queue')!.values]).toEqual([...saved.extra!.get('queue')!.dataSync()]);
  });

  it('stores host values exactly as the live tensors they were read from', async () => {
    const live = tensors(2);
    const asHost: CheckpointTensors = {
      model: await readTensors(live.model),
      optimizer: new Map([['momentum', await readTensors(live.optimizer.get('momentum')!)]]),
      extra: await readTensors(live.extra),
    };
    const a = await saveCheckpoint(run.dir, 'periodic', state(10), live);
    const b = await saveCheckpoint(run.dir, 'periodic', state(20), asHost);
    expect(b.tensorSha256).toBe(a.tensorSha256);
    const loaded = await loadCheckpoint(join(ckptDir(), b.file), b.sha256);
    expect(loaded.extra.get('queue_ptr')).toEqual({ dtype: 'int32', shape: [1], values: new Int32Array([3]) });
    expect([...loaded.model.get('conv1.weight')!.values]).toEqual([...live.model.get('conv1.weight')!.dataSync()]);
  });

  it('stores prefixed tensor names and the metadata a resume needs', async () => {
    const entry = await saveCheckpoint(run.dir, 'best', state(30), tensors(1));
    expect(entry.file).toBe('best.safetensors');
    const { tensors: stored, metadata } = decodeSafetensors(await readFile(join(ckptDir(), entry.file)));
    expect(stored.map((t) => t.name).sort()).toEqual([
      'extra.queue',
      'extra.queue_ptr',
      'model.bn1.running_mean',
      'model.conv1.weight',
      'optim.momentum.conv1.weight',
    ]);
    expect(metadata).toMatchObject({ kind: 'best', step: '30', epoch: '3', config_hash: run.configHash, tensor_sha256: entry.tensorSha256 });
    expect(JSON.parse(metadata.rng)).toEqual(new Rng(30).state());
  });

  it('lists checkpoints in index.json with the SHA-256 of each file', async () => {
    const a = await saveCheckpoint(run.dir, 'periodic', state(10), tensors(1));
    const b = await saveCheckpoint(run.dir, 'cancel', state(15), tensors(2));
    const index = await readCheckpointIndex(ckptDir());
    expect(index.map((e) => [e.file, e.kind, e.step])).toEqual([
      ['step-000010.safetensors', 'periodic', 10],
      ['cancel.safetensors', 'cancel', 15],
    ]);
    expect(index).toEqual([a, b]);
    const { createHash } = await import('node:crypto');
    expect(index[1].sha256).toBe(createHash('sha256').update(await readFile(join(ckptDir(), 'cancel.safetensors'))).digest('hex'));
    expect((await readdir(ckptDir())).sort()).toEqual(['cancel.safetensors', 'index.json', 'step-000010.safetensors']);
  });

  it('refuses a file whose tensor bytes were damaged, naming it', async () => {
    const entry = await saveCheckpoint(run.dir, 'periodic', state(5), tensors(1));
    const path = join(ckptDir(), entry.file);
    const bytes = await readFile(path);
    bytes[bytes.length - 2] ^= 0xff;
    await writeFile(path, bytes);
    const err = await loadCheckpoint(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetFileError);
    expect((err as DatasetFileError).file).toBe(path);
    expect((err as DatasetFileError).reason).toMatch(/^corrupt checkpoint: tensor SHA-256 \w+ differs/);
    await expect(loadCheckpoint(path, entry.sha256)).rejects.toThrow(/corrupt checkpoint: file SHA-256 \w+ differs from \w+ recorded in the index/);
  });

  it('refuses a truncated file and one that is not a checkpoint', async () => {
    const entry = await saveCheckpoint(run.dir, 'periodic', state(5), tensors(1));
    const path = join(ckptDir(), entry.file);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    await expect(loadCheckpoint(path)).rejects.toThrow(/step-000005\.safetensors: truncated/);
    const plain = join(ckptDir(), 'plain.safetensors');
    await writeFile(plain, encodeSafetensors([{ name: 'w', dtype: 'U8', shape: [1], data: new Uint8Array([1]) }]));
    await expect(loadCheckpoint(plain)).rejects.toThrow(/plain\.safetensors: not a valid checkpoint: metadata format/);
  });

  it('refuses to write a state that could not be loaded back', async () => {
    await expect(saveCheckpoint(run.dir, 'periodic', { ...state(1), step: 1.5 }, tensors(1))).rejects.toThrow(/metadata step "1.5" is not a count/);
    await expect(saveCheckpoint(run.dir, 'periodic', { ...state(1), rng: [1, 2, 3] as never }, tensors(1))).rejects.toThrow(/rng is not four uint32s/);
    expect(await readdir(ckptDir())).toEqual([]);
  });

  it('keeps last, best and the newest older periodic checkpoints when asked', async () => {
    await saveCheckpoint(run.dir, 'best', state(10), tensors(1));
    for (const step of [10, 20, 30]) await saveCheckpoint(run.dir, 'periodic', state(step), tensors(step), { keepCheckpoints: 1 });
    expect((await readdir(ckptDir())).sort()).toEqual(['best.safetensors', 'index.json', 'step-000020.safetensors', 'step-000030.safetensors']);
    expect((await readCheckpointIndex(ckptDir())).map((e) => e.file)).toEqual(['best.safetensors', 'step-000020.safetensors', 'step-000030.safetensors']);
  });

  it('with keepCheckpoints 0 keeps last and best, drops a stale cancel checkpoint, and step-N still finds last', async () => {
    await saveCheckpoint(run.dir, 'periodic', state(10), tensors(1), { keepCheckpoints: 0 });
    await saveCheckpoint(run.dir, 'cancel', state(15), tensors(2));
    await saveCheckpoint(run.dir, 'best', state(20), tensors(3));
    await saveCheckpoint(run.dir, 'periodic', state(20), tensors(3), { keepCheckpoints: 0 });
    expect((await readdir(ckptDir())).sort()).toEqual(['best.safetensors', 'index.json', 'step-000020.safetensors']);
    expect((await selectCheckpoint(run.dir, 'step-20')).ref.file).toBe('step-000020.safetensors');
    expect((await selectCheckpoint(run.dir, 'last')).ref.step).toBe(20);
    expect((await selectCheckpoint(run.dir, 'best')).ref.step).toBe(20);
    await expect(selectCheckpoint(run.dir, 'step-10')).rejects.toThrow(/no checkpoint at step 10.*keepCheckpoints.*step-20, best \(step 20\)/);
  });
});

describe('latestCheckpoint', () => {
  it('returns null for a run without checkpoints', async () => {
    expect(await latestCheckpoint(run.dir, () => {})).toBeNull();
  });

  it('picks the highest step whatever the kind', async () => {
    await saveCheckpoint(run.dir, 'periodic', state(20), tensors(1));
    await saveCheckpoint(run.dir, 'cancel', state(25), tensors(2));
    await saveCheckpoint(run.dir, 'best', state(10), tensors(3));
    const latest = await latestCheckpoint(run.dir, () => {});
    expect(latest?.kind).toBe('cancel');
    expect(latest?.state.step).toBe(25);
  });

  it('skips a corrupt newest checkpoint, logging it, and falls back to the previous one', async () => {
    await saveCheckpoint(run.dir, 'periodic', state(10), tensors(1));
    const newest = await saveCheckpoint(run.dir, 'periodic', state(20), tensors(2));
    const path = join(ckptDir(), newest.file);
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(path, bytes);
    const lines: string[] = [];
    const latest = await latestCheckpoint(run.dir, (line) => void lines.push(line));
    expect(latest?.state.step).toBe(10);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/skipping checkpoint step-000020\.safetensors: .*step-000020\.safetensors: corrupt checkpoint/);
  });

  it('logs to the run log by default', async () => {
    const entry = await saveCheckpoint(run.dir, 'periodic', state(10), tensors(1));
    await rm(join(ckptDir(), entry.file));
    expect(await latestCheckpoint(run.dir)).toBeNull();
    expect(await readFile(join(run.dir, 'log.txt'), 'utf8')).toMatch(/skipping checkpoint step-000010\.safetensors: .*cannot read checkpoint: ENOENT/);
  });

  it('finds checkpoints from the files when index.json is damaged or misses one', async () => {
    await saveCheckpoint(run.dir, 'periodic', state(10), tensors(1));
    await saveCheckpoint(run.dir, 'periodic', state(20), tensors(2));
    const index = await readFile(join(ckptDir(), 'index.json'), 'utf8');
    await saveCheckpoint(run.dir, 'periodic', state(30), tensors(3));
    // As if the process died after writing step 30 but before indexing it.
    await writeFile(join(ckptDir(), 'index.json'), index);
    expect((await latestCheckpoint(run.dir, () => {}))?.state.step).toBe(30);

    await writeFile(join(ckptDir(), 'index.json'), '{"format": ');
    const lines: string[] = [];
    expect((await latestCheckpoint(run.dir, (line) => void lines.push(line)))?.state.step).toBe(30);
    expect(lines[0]).toMatch(/rebuilding the checkpoint list from the files: .*index\.json: not valid JSON/);
    // Saving repairs the index.
    await saveCheckpoint(run.dir, 'periodic', state(40), tensors(4));
    expect((await readCheckpointIndex(ckptDir())).map((e) => e.step)).toEqual([10, 20, 30, 40]);
  });
});

describe('restoreParams', () => {
  it('assigns loaded values into the variables', async () => {
    const saved = tensors(1);
    const entry = await saveCheckpoint(run.dir, 'periodic', state(1), saved);
    const loaded = await loadCheckpoint(join(ckptDir(), entry.file));
    const target = tensors(99).model as Map<string, tf.Variable>;
    restoreParams(target, loaded.model, loaded.path);
    for (const [name, v] of target) expect([...v.dataSync()]).toEqual([...saved.model.get(name)!.dataSync()]);
  });

  it('refuses missing, unexpected and mis-shaped tensors, changing nothing', async () => {
    const entry = await saveCheckpoint(run.dir, 'periodic', state(1), tensors(1));
    const loaded = await loadCheckpoint(join(ckptDir(), entry.file));
    const target = new Map([['conv1.weight', tf.variable(tf.zeros([2, 2, 3, 5]))], ['fc.weight', tf.variable(tf.zeros([2, 2]))]]);
    expect(() => restoreParams(target, loaded.model, 'ck')).toThrow(/ck: tensors do not fit the model: missing fc.weight; unexpected bn1.running_mean/);
    loaded.model.delete('bn1.running_mean');
    target.delete('fc.weight');
    expect(() => restoreParams(target, loaded.model, 'ck')).toThrow(/tensor conv1.weight is float32 \[2,2,3,4\], the model has float32 \[2,2,3,5\]/);
    expect(target.get('conv1.weight')!.dataSync().every((x) => x === 0)).toBe(true);
  });
});
