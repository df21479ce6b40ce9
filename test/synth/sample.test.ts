import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCacheDir } from '../../core/util/cache-dir.js';
import { ensureSample, SAMPLE_SPEC, sampleFolderName } from '../../core/synth/sample.js';

describe('ensureSample', () => {
  let cache: string;
  beforeAll(async () => {
    cache = await mkdtemp(join(tmpdir(), 'sample-cache-'));
  });
  afterAll(async () => {
    await rm(cache, { recursive: true, force: true });
  });

  it('generates the sample once, even for concurrent callers, and reuses it', async () => {
    // A crashed earlier run left an incomplete folder under the final name.
    await mkdir(join(cache, sampleFolderName(), 'ROIs1158_spring'), { recursive: true });
    const [a, b] = await Promise.all([ensureSample({ cacheDir: cache }), ensureSample({ cacheDir: cache })]);
    expect(a).toBe(join(cache, sampleFolderName()));
    expect(b).toBe(a);
    expect(await readdir(cache)).toEqual([sampleFolderName()]);
    const s2 = (await readdir(a, { recursive: true })).filter((f) => /_s2_\d+_p\d+\.tif$/.test(f));
    expect(s2).toHaveLength(SAMPLE_SPEC.scenes * SAMPLE_SPEC.patchesPerScene);

    const marker = join(a, 'kept.txt');
    await writeFile(marker, 'left by the test');
    const before = (await stat(join(a, s2[0]))).mtimeMs;
    expect(await ensureSample({ cacheDir: cache })).toBe(a);
    expect((await stat(join(a, s2[0]))).mtimeMs).toBe(before);
    expect((await stat(marker)).isFile()).toBe(true);
  });

  it('names the folder by generator version and spec', () => {
    expect(sampleFolderName()).toMatch(new RegExp(`^sample-v\\d+-${SAMPLE_SPEC.scenes}x${SAMPLE_SPEC.patchesPerScene}-seed${SAMPLE_SPEC.seed}$`));
  });
});

describe('userCacheDir', () => {
  it('prefers $SEN12MS_STUDIO_CACHE, then $XDG_CACHE_HOME, then ~/.cache', () => {
    expect(userCacheDir({ SEN12MS_STUDIO_CACHE: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(userCacheDir({ SEN12MS_STUDIO_CACHE: '', XDG_CACHE_HOME: '/b' })).toBe(join('/b', 'sen12ms-studio'));
    expect(userCacheDir({})).toBe(join(homedir(), '.cache', 'sen12ms-studio'));
  });
});
