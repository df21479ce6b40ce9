import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_SPEC } from '../../core/synth/sample.js';
import { tempDir } from '../catalog/fixture.js';
import { runCli } from './capture.js';

const cache = tempDir('start-cache');
const saved = process.env.SEN12MS_STUDIO_CACHE;
process.env.SEN12MS_STUDIO_CACHE = cache;
afterAll(() => {
  if (saved === undefined) delete process.env.SEN12MS_STUDIO_CACHE;
  else process.env.SEN12MS_STUDIO_CACHE = saved;
  fs.rmSync(cache, { recursive: true, force: true });
});

describe('sen12ms-studio start', () => {
  it('generates the sample into the cache, indexes it and summarises, offline', async () => {
    const r = await runCli(['start']);
    expect(r.code).toBe(0);
    const triplets = SAMPLE_SPEC.scenes * SAMPLE_SPEC.patchesPerScene;
    expect(r.stdout).toMatch(new RegExp(`^triplets: ${triplets} \\(${triplets} patches catalogued\\), problems: 0$`, 'm'));
    const dataset = /^data set: (.*)$/m.exec(r.stdout)![1];
    const catalog = /^catalog: +(.*)$/m.exec(r.stdout)![1];
    expect(dataset.startsWith(cache)).toBe(true);
    expect(catalog.startsWith(path.join(cache, 'catalogs'))).toBe(true);
    expect(fs.existsSync(catalog)).toBe(true);
    // Per season train/test counts and the ten classes add up to the triplets.
    const seasons = [...r.stdout.matchAll(/^(spring|summer|fall|winter) +(\d+) +(\d+)$/gm)];
    expect(seasons.reduce((s, m) => s + Number(m[2]) + Number(m[3]), 0)).toBe(triplets);
    const classes = [...r.stdout.matchAll(/^ ?(\d+) \S.*? +(\d+)$/gm)].filter((m) => Number(m[1]) <= 10);
    expect(classes).toHaveLength(10);
    expect(classes.reduce((s, m) => s + Number(m[2]), 0)).toBe(triplets);
  });
});
