import { describe, expect, it } from 'vitest';
import { BatchPrefetch } from '../../core/training/batch-prefetch.js';

describe('BatchPrefetch', () => {
  it('loads the next step while the current one is used, and never past the end', async () => {
    const started: number[] = [];
    const prefetch = new BatchPrefetch(async (s) => {
      started.push(s);
      return `batch ${s}`;
    }, 3, 6);
    expect(started).toEqual([3]);
    expect(await prefetch.take(3)).toBe('batch 3');
    expect(started).toEqual([3, 4]);
    expect(await prefetch.take(4)).toBe('batch 4');
    expect(await prefetch.take(5)).toBe('batch 5');
    expect(started).toEqual([3, 4, 5]);
  });

  it('settles a load still in flight, even a failing one', async () => {
    let finished = false;
    const prefetch = new BatchPrefetch(async (s) => {
      await new Promise((r) => setTimeout(r, 20 * (s + 1)));
      finished = true;
      if (s === 1) throw new Error('broken file');
      return s;
    }, 0, 2);
    expect(await prefetch.take(0)).toBe(0);
    finished = false;
    await prefetch.settle();
    expect(finished).toBe(true);
  });

  it('starts nothing when the range is empty', () => {
    const started: number[] = [];
    new BatchPrefetch(async (s) => started.push(s), 4, 4);
    expect(started).toEqual([]);
  });
});
