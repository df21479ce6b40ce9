import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAND_PRESETS } from '../../core/common/dataset/bands.js';
import { cardInput } from '../../core/formats/card-normalization.js';
import { readModelCard, splitDigest, validateModelCard, type ModelCard, type ModelCardInput } from '../../core/formats/model-card.js';
import { preprocessingSteps } from '../../core/formats/preprocessing.js';

function card(): ModelCard {
  const input: ModelCardInput = {
    architecture: 'resnet18',
    inputChannels: 3,
    bands: ['B4', 'B3', 'VV'],
    inputBlock: null,
    normalization: { nanValue: [0, 0, -25], clip: [null, null, [-25, 0]], mean: [1, 2, 3], std: [4, 5, 6] },
    task: 'multi-label',
    classes: ['Forest', 'Water'],
    threshold: 0.5,
    checkpoint: { run: '/runs/x', file: 'step-000010.safetensors', step: 10, epoch: 1, kind: 'last' },
    training: { kind: 'finetune', bestRule: 'highest validation micro-F1', config: { lr: 1e-3 } },
    metrics: { 'test.jaccard': 0.61 },
    splits: { train: { count: 2, sha256: 'a'.repeat(64) } },
  };
  return {
    format: 'sen12ms-studio.model-card',
    version: 2,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...input,
    preprocessing: preprocessingSteps(input),
    weights: {
      file: 'model.safetensors',
      format: 'safetensors',
      layout: 'pytorch',
      bytes: 100,
      sha256: 'b'.repeat(64),
      parts: [{ role: 'input-block', file: 'input-block.safetensors', bytes: 10, sha256: 'c'.repeat(64) }],
    },
  };
}

describe('validateModelCard', () => {
  it('accepts a complete card', () => {
    expect(validateModelCard(card(), 'card')).toEqual(card());
  });

  it('names schema violations by field', () => {
    const bad = { ...card(), architecture: 'vgg16', metrics: { acc: 'high' }, splits: { test: { count: 1, sha256: 'xyz' } } };
    expect(() => validateModelCard(bad, 'm.json')).toThrow(
      /^m\.json: invalid model card: architecture: must be one of .*; metrics\.acc: must be a finite number, got "high"; splits\.test\.sha256: "xyz" does not match/,
    );
    const { weights: _, ...missing } = card();
    expect(() => validateModelCard(missing, 'm.json')).toThrow(/weights: is missing/);
    const badStep = { ...card(), preprocessing: [{ op: 'resize', from: 256, size: 64, method: 'nearest' }] };
    expect(() => validateModelCard(badStep, 'm.json')).toThrow(/preprocessing\[0\]\.method: must be one of "area", "bilinear"/);
    const c = card();
    c.weights.parts[0].role = 'decoder' as never;
    expect(() => validateModelCard(c, 'm.json')).toThrow(/weights\.parts\[0\]\.role: must be one of "input-block", "projection-head"/);
  });

  it('refuses a version 1 card, whose model.safetensors mixed the input block and head into the backbone', () => {
    expect(() => validateModelCard({ ...card(), version: 1 }, 'm.json')).toThrow(/^m\.json: a version 1 model card .*export the run again/);
  });

  it('checks fields against each other', () => {
    const c = card();
    c.bands = ['B4', 'B4'];
    c.normalization.std = [1, 1, 1, 1];
    c.normalization.clip[2] = [0, -25];
    c.threshold = null;
    const message = (() => {
      try {
        validateModelCard(c, 'card');
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/bands: has 2 entries for 3 input channels/);
    expect(message).toMatch(/normalization\.std: has 4 entries for 3 input channels/);
    expect(message).toMatch(/normalization\.clip\[2\]: \[0,-25\] is not a range/);
    expect(message).toMatch(/bands: repeated band/);
    expect(message).toMatch(/threshold: a multi-label model needs one/);
    expect(() => validateModelCard({ ...card(), task: 'features' }, 'card')).toThrow(/classes: a features model has no classes/);
  });

  it('reads a card file and names it when it is broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'card-'));
    try {
      const path = join(dir, 'model-card.json');
      await writeFile(path, JSON.stringify(card()));
      expect(await readModelCard(path)).toEqual(card());
      await writeFile(path, '{');
      await expect(readModelCard(path)).rejects.toThrow(/model-card\.json: not valid JSON/);
      await rm(path);
      await expect(readModelCard(path)).rejects.toThrow(/model-card\.json: no model card/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('splitDigest', () => {
  it('is the SHA-256 of the ids sorted and joined by newlines, whatever their order', () => {
    const ids = ['ROIs1970_fall_s2_7_p33', 'ROIs1158_spring_s2_1_p30', 'ROIs1868_summer_s2_100_p5'];
    const expected = createHash('sha256')
      .update('ROIs1158_spring_s2_1_p30\nROIs1868_summer_s2_100_p5\nROIs1970_fall_s2_7_p33')
      .digest('hex');
    expect(splitDigest(ids)).toEqual({ count: 3, sha256: expected });
    expect(splitDigest([...ids].reverse())).toEqual(splitDigest(ids));
  });
});

describe('cardInput', () => {
  it('describes the fusion input with the official SEN12MS statistics and S1 clip', () => {
    const input = cardInput(BAND_PRESETS['fusion-12']);
    expect(input.inputChannels).toBe(12);
    expect(input.bands).toEqual(['B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B11', 'B12', 'VV', 'VH']);
    expect(input.normalization.mean[0]).toBeCloseTo(1226.4215, 4);
    expect(input.normalization.std[9]).toBeCloseTo(991.48016, 4);
    expect(input.normalization.mean.slice(10)).toEqual([-11.76858, -18.294598]);
    expect(input.normalization.std.slice(10)).toEqual([4.525339, 4.3586307]);
    expect(input.normalization.clip.slice(0, 10).every((c) => c === null)).toBe(true);
    expect(input.normalization.clip.slice(10)).toEqual([[-25, 0], [-25, 0]]);
    expect(input.normalization.nanValue.slice(10)).toEqual([-25, -25]);
    expect(cardInput(BAND_PRESETS.s1, { fillNaN: 'mean' }).normalization.nanValue).toEqual([-11.76858, -18.294598]);
  });
});
