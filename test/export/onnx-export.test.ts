import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCard } from '../../core/formats/model-card.js';
import { classifierLogitsOf, embedFiles, EXPORT_FIXTURES, exportFixtures, maxAbsDiff, type Exported } from './export-fixtures.js';
import { onnxMetadata } from './onnx-read.js';
import { GDAL, rawBands, writePatches, type PatchFiles } from './patch-files.js';

const PYTHON = '/usr/bin/python3';
const onnxChecker = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
const SOURCE = GDAL ? 'GDAL-written patches, bands read by gdal_translate' : "this app's patches and reader (gdal_translate not installed)";

const MODELS = EXPORT_FIXTURES;
const CLASSIFIERS = MODELS.filter((m) => m.card.task !== 'features').map((m) => m.name);

let dir: string;
let patches: PatchFiles;
let exported: Map<string, Exported>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  ort.env.wasm.numThreads = 1;
  dir = await mkdtemp(join(tmpdir(), 'onnx-export-'));
  patches = await writePatches(dir, 31);
  exported = await exportFixtures(dir);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The card's select_bands steps in order, read from the files: the ONNX input, N x C x 256 x 256. */
async function modelInput(card: ModelCard, copies = 1): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (const step of card.preprocessing) if (step.op === 'select_bands') parts.push(await rawBands(patches[step.sensor], step.bands));
  const one = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (one.set(p, at), at + p.length), 0);
  const out = new Float32Array(one.length * copies);
  for (let k = 0; k < copies; k++) out.set(one, k * one.length);
  return out;
}

async function run(file: string, input: Float32Array, channels: number): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(await readFile(file));
  try {
    expect(session.inputNames).toEqual(['bands']);
    const n = input.length / (channels * 256 * 256);
    return await session.run({ bands: new ort.Tensor('float32', input, [n, channels, 256, 256]) });
  } finally {
    await session.release();
  }
}

describe(`model.onnx runs as the app does (onnxruntime-web; ${SOURCE})`, () => {
  it.each(MODELS.map((m) => m.name))('%s: features equal embed to 1e-4, for a batch of two', async (name) => {
    const { dir: model, card } = exported.get(name)!;
    const out = await run(join(model, 'model.onnx'), await modelInput(card, 2), card.inputChannels);
    const ours = await embedFiles(card, model, patches);
    expect(out.features.dims).toEqual([2, 512]);
    const features = out.features.data as Float32Array;
    expect(Math.max(...ours.map(Math.abs))).toBeGreaterThan(0.1);
    expect(maxAbsDiff(features.subarray(0, 512), ours)).toBeLessThan(1e-4);
    expect(maxAbsDiff(features.subarray(512), ours)).toBeLessThan(1e-4);
    expect(Object.keys(out).sort()).toEqual(card.task === 'features' ? ['features'] : ['features', 'logits', 'probabilities']);
  });

  it.each(CLASSIFIERS)('%s: logits equal our classifier to 1e-4, probabilities are its activation', async (name) => {
    const { dir: model, card } = exported.get(name)!;
    const out = await run(join(model, 'model.onnx'), await modelInput(card), card.inputChannels);
    const logits = out.logits.data as Float32Array;
    expect(out.logits.dims).toEqual([1, card.classes.length]);
    expect(maxAbsDiff(logits, await classifierLogitsOf(model, patches))).toBeLessThan(1e-4);
    const expected = tf.tidy(() => {
      const t = tf.tensor2d(logits, [1, logits.length]);
      return (card.task === 'multi-label' ? tf.sigmoid(t) : tf.softmax(t)).dataSync();
    });
    expect(maxAbsDiff(out.probabilities.data as Float32Array, expected)).toBeLessThan(1e-6);
  });

  it('carries the card, less its weights, in its metadata', async () => {
    for (const { dir: model, card } of exported.values()) {
      const { weights: _, ...body } = card;
      expect(JSON.parse(onnxMetadata(await readFile(join(model, 'model.onnx'))).model_card)).toEqual(body);
    }
  });
});

describe(`QGIS Deepness reads the ONNX files (its metadata and preprocessing; ${SOURCE})`, () => {
  /** What Deepness does to a tile of raw raster values: x / 255, then (x - mean) / std in float32, NHWC -> NCHW. */
  function deepnessInput(planar: Float32Array, channels: number, metadata: Record<string, string>): Float32Array {
    const mean = Float32Array.from(JSON.parse(metadata.standardization_mean) as number[]);
    const std = Float32Array.from(JSON.parse(metadata.standardization_std) as number[]);
    const pixels = 256 * 256;
    const nhwc = new Float32Array(planar.length);
    for (let c = 0; c < channels; c++) for (let i = 0; i < pixels; i++) nhwc[i * channels + c] = planar[c * pixels + i];
    const scaled = nhwc.map((x, k) => Math.fround(Math.fround(Math.fround(x * (1 / 255)) - mean[k % channels]) / std[k % channels]));
    const nchw = new Float32Array(planar.length);
    for (let c = 0; c < channels; c++) for (let i = 0; i < pixels; i++) nchw[c * pixels + i] = scaled[i * channels + c];
    return nchw;
  }

  function expectDeepnessBasics(metadata: Record<string, string>, channels: number, modelType: string): void {
    const values = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, JSON.parse(v)]));
    expect(values).toMatchObject({ model_type: modelType, resolution: 1000, tile_size: 256, tiles_size: 256, tiles_overlap: 0 });
    expect(values.standardization_mean).toEqual(Array(channels).fill(0));
    expect(values.standardization_std).toEqual(Array(channels).fill(1 / 255));
  }

  it('an encoder: model.onnx is a Recognition model whose one output is the embedding', async () => {
    const { dir: model, card } = exported.get(MODELS[0].name)!;
    const metadata = onnxMetadata(await readFile(join(model, 'model.onnx')));
    expectDeepnessBasics(metadata, card.inputChannels, 'Recognition');
    const out = await run(join(model, 'model.onnx'), deepnessInput(await modelInput(card), card.inputChannels, metadata), card.inputChannels);
    expect(Object.keys(out)).toEqual(['features']);
    expect(maxAbsDiff(out.features.data as Float32Array, await embedFiles(card, model, patches))).toBeLessThan(1e-4);
  });

  it.each(CLASSIFIERS)(
    '%s: model-deepness.onnx is a Segmentor with class names whose one output is the class probabilities over the tile',
    async (name) => {
      const { dir: model, card } = exported.get(name)!;
      expect(await readdir(model)).toContain('model-deepness.onnx');
      const metadata = onnxMetadata(await readFile(join(model, 'model-deepness.onnx')));
      expectDeepnessBasics(metadata, card.inputChannels, 'Segmentor');
      expect(JSON.parse(metadata.class_names)).toEqual(Object.fromEntries(card.classes.map((c, i) => [String(i), c])));
      expect(onnxMetadata(await readFile(join(model, 'model.onnx'))).model_type).toBeUndefined();

      const raw = await modelInput(card);
      const out = await run(join(model, 'model-deepness.onnx'), deepnessInput(raw, card.inputChannels, metadata), card.inputChannels);
      expect(Object.keys(out)).toEqual(['probabilities']);
      const k = card.classes.length;
      expect(out.probabilities.dims).toEqual([1, k, 256, 256]);
      const expected = (await run(join(model, 'model.onnx'), raw, card.inputChannels)).probabilities.data as Float32Array;
      const tile = out.probabilities.data as Float32Array;
      for (let c = 0; c < k; c++) {
        const plane = tile.subarray(c * 256 * 256, (c + 1) * 256 * 256);
        expect(Math.max(...plane) - Math.min(...plane)).toBe(0);
        expect(Math.abs(plane[0] - expected[c])).toBeLessThan(1e-4);
      }
    },
  );
});

describe.skipIf(!onnxChecker)('ONNX validity (skipped where /usr/bin/python3 lacks onnx, Debian python3-onnx)', () => {
  it('onnx.checker.check_model with full_check accepts every file written', () => {
    const files = [...exported.values()].flatMap(({ dir: model, card }) => [join(model, 'model.onnx'), ...(card.task === 'features' ? [] : [join(model, 'model-deepness.onnx')])]);
    const script = 'import sys, onnx\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\nprint("ok")';
    const result = spawnSync(PYTHON, ['-c', script, ...files], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('ok');
  });
});
