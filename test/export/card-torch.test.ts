import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictedClasses } from '../../core/inference/predict.js';
import { embedPatch } from '../../core/inference/embed.js';
import { classifierLogitsOf, embedFiles, EXPORT_FIXTURES, exportFixtures, maxAbsDiff, type Exported } from './export-fixtures.js';
import { writePatches, type PatchFiles } from './patch-files.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('./ref/card_model.py', import.meta.url).pathname;
const READY = 'import torch, torchvision, numpy\ntry:\n    import rasterio\nexcept ImportError:\n    from osgeo import gdal';
const available = spawnSync(PYTHON, ['-c', READY], { stdio: 'ignore' }).status === 0;

interface CardRun {
  features: number[];
  logits?: number[];
  probabilities?: number[];
  prediction?: number[];
}

let dir: string;
let patches: PatchFiles;
let exported: Map<string, Exported>;

beforeAll(async () => {
  if (!available) return;
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'card-torch-'));
  patches = await writePatches(dir, 32);
  exported = await exportFixtures(dir);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function runCard(model: string, s2: string | undefined, s1: string | undefined): CardRun {
  const result = spawnSync(PYTHON, [SCRIPT, model, s2 ?? '-', s1 ?? '-'], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as CardRun;
}

describe.skipIf(!available)(
  'PyTorch following model-card.json alone (test/export/ref/card_model.py; skipped where /usr/bin/python3 lacks torch, torchvision and rasterio or GDAL bindings)',
  () => {
    it.each(EXPORT_FIXTURES.map((m) => m.name))('%s: the features equal embed to 1e-4; a classifier gives our logits and predictions', async (name) => {
      const { dir: model, card } = exported.get(name)!;
      const reads = (band: string) => card.bands.includes(band);
      const ref = runCard(model, reads('B2') ? patches.s2 : undefined, reads('VV') ? patches.s1 : undefined);
      const features = await embedFiles(card, model, patches);
      expect(Math.max(...features.map(Math.abs))).toBeGreaterThan(0.1);
      expect(maxAbsDiff(ref.features, features)).toBeLessThan(1e-4);
      if (card.task === 'features') {
        expect(Object.keys(ref)).toEqual(['features']);
        return;
      }
      expect(maxAbsDiff(ref.logits!, await classifierLogitsOf(model, patches))).toBeLessThan(1e-4);
      expect(ref.prediction).toEqual(predictedClasses(ref.probabilities!, card.task === 'multi-label' ? 'multi' : 'single'));
    });

    it("a fusion model without its S1 file: the card's zero fill is embed's", async () => {
      const { dir: model } = exported.get(EXPORT_FIXTURES[1].name)!;
      const ref = runCard(model, patches.s2, undefined);
      expect(maxAbsDiff(ref.features, await embedPatch({ model, s2: patches.s2 }))).toBeLessThan(1e-4);
    });
  },
);
