import { afterEach, describe, expect, it, vi } from 'vitest';
import { LineSplitter } from '../../core/jobs/line-splitter.js';
import { LatestThrottle } from '../../core/jobs/throttle.js';

afterEach(() => void vi.useRealTimers());

describe('LatestThrottle', () => {
  it('passes the first value at once, then at most one per interval, always the latest, and flushes the last', () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const t = new LatestThrottle<number>((v) => seen.push(v), 200);
    t.push(1);
    t.push(2);
    t.push(3);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(199);
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([1, 3]);
    t.push(4);
    t.push(5);
    t.flush();
    expect(seen).toEqual([1, 3, 5]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 3, 5]);
    t.push(6);
    expect(seen).toEqual([1, 3, 5, 6]);
  });
});

describe('LineSplitter', () => {
  it('passes whole lines across chunks and the partial last line at the end', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.write('backend: wa');
    s.write('sm\r\nstep 1\nstep');
    expect(lines).toEqual(['backend: wasm', 'step 1']);
    s.end();
    expect(lines).toEqual(['backend: wasm', 'step 1', 'step']);
  });
});
