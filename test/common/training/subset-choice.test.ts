import { describe, expect, it } from 'vitest';
import { parseSubsetSyntax } from '../../../core/common/sampler/selection-spec.js';
import { DEFAULT_SUBSET_CHOICE, SUBSET_KINDS, SUBSET_OPTIONS, subsetChoiceOf, subsetChoiceProblems, subsetNeeds, subsetText } from '../../../core/common/training/subset-choice.js';

describe('subset choice', () => {
  it('offers every kind of subset the subset syntax has, once', () => {
    expect(SUBSET_OPTIONS.map((o) => o.kind)).toEqual([...SUBSET_KINDS]);
  });

  it('makes text the subset syntax reads back to the same choice', () => {
    const choices = [
      { ...DEFAULT_SUBSET_CHOICE, kind: 'all' as const },
      { ...DEFAULT_SUBSET_CHOICE, kind: 'one-per-scene' as const },
      { ...DEFAULT_SUBSET_CHOICE, kind: 'non-overlapping' as const },
      { ...DEFAULT_SUBSET_CHOICE, kind: 'random' as const, n: 32 },
      { ...DEFAULT_SUBSET_CHOICE, kind: 'random-seasons' as const, n: 1024 },
      { ...DEFAULT_SUBSET_CHOICE, kind: 'list' as const, file: 'lists/train_list_1024.txt' },
    ];
    for (const choice of choices) {
      const text = subsetText(choice);
      expect(() => parseSubsetSyntax(text)).not.toThrow();
      const back = subsetChoiceOf(text)!;
      expect(back.kind).toBe(choice.kind);
      if (subsetNeeds(choice.kind) === 'n') expect(back.n).toBe(choice.n);
      if (subsetNeeds(choice.kind) === 'file') expect(back.file).toBe(choice.file);
    }
    expect(subsetChoiceOf('random:many')).toBeNull();
  });

  it('names a missing or bad number and an empty file; other kinds need neither', () => {
    expect(subsetChoiceProblems({ kind: 'random', n: 0, file: '' })).toEqual([expect.stringMatching(/whole number of at least 1, got 0/)]);
    expect(subsetChoiceProblems({ kind: 'random-seasons', n: NaN, file: '' })).toEqual([expect.stringMatching(/got nothing/)]);
    expect(subsetChoiceProblems({ kind: 'random', n: 2.5, file: '' })).toHaveLength(1);
    expect(subsetChoiceProblems({ kind: 'list', n: 1, file: '  ' })).toEqual([expect.stringMatching(/name the patch list file/)]);
    expect(subsetChoiceProblems({ kind: 'all', n: NaN, file: '' })).toEqual([]);
    expect(subsetChoiceProblems({ kind: 'random', n: 32, file: '' })).toEqual([]);
  });
});
