import { describe, expect, it } from 'vitest';
import { patchAttributes } from '../../../renderer/src/lib/map/patch-attributes.js';

const none = { label: null, labels: null, noisy: false, note: null };

describe('patchAttributes', () => {
  it('takes the catalog label and split when nothing overrides them', () => {
    expect(patchAttributes({ label: 6, split: 'test' }, undefined, undefined)).toEqual({ label: 6, split: 1, annotation: 0, prediction: 0 });
  });

  it("uses the user's label override, and marks annotated and noisy patches", () => {
    expect(patchAttributes({ label: 6, split: 'train' }, { ...none, label: 10 }, undefined)).toMatchObject({ label: 10, split: 0, annotation: 1 });
    expect(patchAttributes({ label: 6, split: 'train' }, { ...none, noisy: true }, undefined)).toMatchObject({ label: 6, annotation: 2 });
  });

  it('marks predictions right or wrong', () => {
    expect(patchAttributes({ label: 1, split: 'train' }, undefined, { correct: true }).prediction).toBe(1);
    expect(patchAttributes({ label: 1, split: 'train' }, undefined, { correct: false }).prediction).toBe(2);
  });
});
