import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../core/backend/select.js';
import { MOCO_DIM } from '../../../core/models/heads.js';
import { Encoder } from '../../../core/models/encoder.js';
import { loadPatchItems, type PatchItem } from '../../../core/sampler/patch-items.js';
import { resolvePretrainConfig } from '../../../core/common/training/pretrain-config.js';
import { makeFixture, type Fixture } from '../../sampler/fixture.js';
import { finetuneRun, pretrainRun } from '../../training/weights-fixtures.js';
import { runCli } from '../capture.js';

// Runs made from direct weights (no training): a sensor-pairs pretrain with S1 and S2 blocks and a
// supervised classifier on the 12 fusion channels, both ResNet-10 at 32 px.
let fx: Fixture;
let work: string;
let pretrain: string;
let classifier: string;
let item: PatchItem;

beforeAll(async () => {
  await initBackend({ purpose: 'infer', prefer: 'wasm' });
  fx = await makeFixture({ scenes: 2, patchesPerScene: 2, seed: 5 });
  work = await mkdtemp(join(tmpdir(), 'cli-embed-'));
  const query = Encoder.create({ depth: 10, inputBlocks: ['s1', 's2'], head: { kind: 'projection', dim: MOCO_DIM } }, 7);
  pretrain = await pretrainRun(join(work, 'runs'), query, { ...resolvePretrainConfig({ catalog: fx.catalog, depth: 10, size: 32 }) });
  query.dispose();
  const finetuned = await finetuneRun(join(work, 'runs'), { catalog: fx.catalog, depth: 10, size: 32, input: 's2', variant: 'supervised' });
  finetuned.encoder.dispose();
  classifier = finetuned.dir;
  item = loadPatchItems(fx.catalog).find((p) => p.s1Path !== null)!;
}, 120_000);

afterAll(async () => {
  await fx?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

async function embed(...args: string[]): Promise<{ code: number; vector: number[]; warnings: string[]; stderr: string }> {
  const { code, stdout, stderr } = await runCli(['embed', ...args]);
  return { code, vector: code === 0 ? (JSON.parse(stdout) as number[]) : [], warnings: stderr.split('\n').filter((l) => l.startsWith('embed:')), stderr };
}

describe('sen12ms-studio export', () => {
  it('writes the chosen checkpoint in the chosen formats and lists the files in its JSON line', async () => {
    const out = join(work, 'pretrain-export');
    const result = await runCli(['export', pretrain, '--out', out, '--format', 'safetensors', '--checkpoint', 'step-3']);
    expect(result.code).toBe(0);
    const line = JSON.parse(result.stdout);
    expect(line).toMatchObject({ dir: out, task: 'features', checkpoint: { step: 3, kind: 'step' } });
    expect(line.files).toEqual(['model.safetensors', 'input-block.safetensors', 'head.safetensors', 'model-card.json']);
    expect((await readdir(out)).sort()).toEqual([...line.files].sort());

    const onnx = await runCli(['export', classifier, '--out', join(work, 'classifier-onnx'), '--format', 'onnx']);
    expect(onnx.code).toBe(0);
    expect(JSON.parse(onnx.stdout)).toMatchObject({ files: ['model.onnx', 'model-deepness.onnx'], task: 'multi-label' });
  });

  it.each([
    [['--format', 'pt'], /--format must be safetensors, tfjs, onnx or all, got "pt"/],
    [['--checkpoint', 'latest'], /--checkpoint: expected last, best or step-N, got "latest"/],
  ])('refuses %j with a usage error', async (args, message) => {
    const result = await runCli(['export', pretrain, '--out', join(work, 'never'), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('sen12ms-studio embed', () => {
  it('embeds from a run directory exactly as from its export', async () => {
    const out = join(work, 'classifier-export');
    expect((await runCli(['export', classifier, '--out', out, '--format', 'safetensors'])).code).toBe(0);
    const fromRun = await embed('--model', classifier, '--s2', item.s2Path, '--s1', item.s1Path!);
    const fromExport = await embed('--model', out, '--s2', item.s2Path, '--s1', item.s1Path!);
    expect(fromRun.code).toBe(0);
    expect(fromRun.vector).toHaveLength(512);
    expect(fromRun.warnings).toEqual([]);
    expect(fromExport.vector).toEqual(fromRun.vector);
  });

  it('warns, one line naming the sensor and the model, when it zero-fills a sensor the model reads', async () => {
    const result = await embed('--model', classifier, '--s2', item.s2Path);
    expect(result.code).toBe(0);
    expect(result.warnings).toEqual([`embed: the model ${classifier} reads S1 (VV, VH) but no --s1 was given: those channels are zero-filled (the band means)`]);
  });

  it('warns when it ignores a file the model does not read; a pretrain with a block per sensor takes the block of the file given', async () => {
    const both = await embed('--model', pretrain, '--s2', item.s2Path, '--s1', item.s1Path!);
    expect(both.code).toBe(0);
    expect(both.warnings).toEqual([`embed: the model ${pretrain} does not read S1: --s1 ${item.s1Path} is ignored`]);
    const s2 = await embed('--model', pretrain, '--s2', item.s2Path);
    expect(s2.vector).toEqual(both.vector);
    const s1 = await embed('--model', pretrain, '--s1', item.s1Path!);
    expect(s1.code).toBe(0);
    expect(s1.warnings).toEqual([]);
    expect(s1.vector).not.toEqual(s2.vector);
  });

  it('takes --checkpoint for a run directory and refuses it for an export, which holds one checkpoint', async () => {
    const step3 = await embed('--model', pretrain, '--checkpoint', 'step-3', '--s2', item.s2Path);
    expect(step3.code).toBe(0);
    expect(step3.stderr).toContain(`embed uses the step checkpoint (step 3, epoch`);
    const missing = await embed('--model', pretrain, '--checkpoint', 'best', '--s2', item.s2Path);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no best checkpoint.*the run has step-3/);
    const out = join(work, 'pretrain-export-last');
    expect((await runCli(['export', pretrain, '--out', out, '--format', 'safetensors'])).code).toBe(0);
    // An export says which checkpoint of its run it holds.
    expect((await embed('--model', out, '--s2', item.s2Path)).stderr).toMatch(new RegExp(`embed uses the last checkpoint \\(step 3, epoch \\d+\\) of ${pretrain}`));
    const refused = await embed('--model', out, '--checkpoint', 'last', '--s2', item.s2Path);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/an exported model holds one checkpoint; "last" applies to run directories only/);
    expect((await embed('--model', pretrain, '--checkpoint', 'newest', '--s2', item.s2Path)).code).toBe(2);
  });
});
