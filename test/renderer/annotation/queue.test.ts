import { describe, expect, it } from 'vitest';
import type { PatchAnnotation } from '../../../core/common/annotations/annotation-changes.js';
import { stepWalk, walkSize } from '../../../renderer/src/lib/annotation/queue.js';

const ids = ['a', 'b', 'c', 'd', 'e'];
const note = (noisy = false): PatchAnnotation => ({ label: 3, labels: null, noisy, note: null });
const annotations: Record<string, PatchAnnotation> = { b: note(), c: note(true), e: note(true) };

describe('the J/K walk', () => {
  it('walks every patch in list order, stopping at either end', () => {
    expect(stepWalk(ids, 'b', 1, 'all', annotations)).toBe('c');
    expect(stepWalk(ids, 'b', -1, 'all', annotations)).toBe('a');
    expect(stepWalk(ids, 'e', 1, 'all', annotations)).toBeNull();
    expect(stepWalk(ids, 'a', -1, 'all', annotations)).toBeNull();
  });

  it('skips annotated patches in the unannotated walk, from the current place even when it just left the walk', () => {
    expect(stepWalk(ids, 'a', 1, 'unannotated', annotations)).toBe('d');
    // b is annotated (the user just labelled it): the next is still the one after it
    expect(stepWalk(ids, 'b', 1, 'unannotated', annotations)).toBe('d');
    expect(stepWalk(ids, 'd', -1, 'unannotated', annotations)).toBe('a');
    expect(stepWalk(ids, 'd', 1, 'unannotated', annotations)).toBeNull();
  });

  it('walks the noisy ones, and starts at the first (or last) without a current patch', () => {
    expect(stepWalk(ids, null, 1, 'noisy', annotations)).toBe('c');
    expect(stepWalk(ids, null, -1, 'noisy', annotations)).toBe('e');
    expect(stepWalk(ids, 'not-in-view', 1, 'noisy', annotations)).toBe('c');
    expect(stepWalk(ids, 'c', 1, 'noisy', annotations)).toBe('e');
    expect(stepWalk([], null, 1, 'all', annotations)).toBeNull();
  });

  it('counts the patches of each walk', () => {
    expect(walkSize(ids, 'all', annotations)).toBe(5);
    expect(walkSize(ids, 'unannotated', annotations)).toBe(2);
    expect(walkSize(ids, 'noisy', annotations)).toBe(2);
  });
});
