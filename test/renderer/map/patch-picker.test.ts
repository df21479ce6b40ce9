import { describe, expect, it } from 'vitest';
import { fitPadding, legendClearance } from '../../../renderer/src/lib/map/map-controls.js';
import { pickChoices, pickerPosition } from '../../../renderer/src/lib/map/patch-picker.js';

const summaries = new Map([
  ['ROIs1158_spring_1_p30', { id: 'ROIs1158_spring_1_p30', season: 'spring' as const, label: 1 }],
  ['ROIs1158_spring_1_p31', { id: 'ROIs1158_spring_1_p31', season: 'spring' as const, label: 10 }],
  ['ROIs1158_spring_1_p2', { id: 'ROIs1158_spring_1_p2', season: 'spring' as const, label: 6 }],
]);

describe('pickChoices', () => {
  it('names each patch under the click once, sorted, with season and class; the user label wins', () => {
    const ids = ['ROIs1158_spring_1_p31', 'ROIs1158_spring_1_p30', 'ROIs1158_spring_1_p31', 'ROIs1158_spring_1_p2'];
    expect(pickChoices(ids, summaries, { ROIs1158_spring_1_p30: { label: 7 } })).toEqual([
      { id: 'ROIs1158_spring_1_p2', season: 'spring', label: 'Croplands' },
      { id: 'ROIs1158_spring_1_p30', season: 'spring', label: 'Urban/Built-up' },
      { id: 'ROIs1158_spring_1_p31', season: 'spring', label: 'Water' },
    ]);
  });

  it('leaves out ids it has no summary for (filtered out since), and keeps the catalog label when the annotation has none', () => {
    expect(pickChoices(['gone', 'ROIs1158_spring_1_p30'], summaries, { ROIs1158_spring_1_p30: { label: null } })).toEqual([
      { id: 'ROIs1158_spring_1_p30', season: 'spring', label: 'Forest' },
    ]);
  });
});

describe('pickerPosition', () => {
  const map = { width: 800, height: 600 };
  const popup = { width: 200, height: 150 };

  it('opens at the click, down and right, when it fits', () => {
    expect(pickerPosition([100, 100], popup, map)).toEqual({ left: 100, top: 100 });
  });

  it('opens up and left near the right and bottom edges, and stays inside the map', () => {
    expect(pickerPosition([750, 580], popup, map)).toEqual({ left: 550, top: 430 });
    expect(pickerPosition([100, 100], { width: 900, height: 700 }, map)).toEqual({ left: 8, top: 8 });
  });
});

describe('fitPadding', () => {
  it('keeps the legend clear on the right, never less than the base padding', () => {
    expect(fitPadding(250)).toEqual([40, 262, 40, 40]);
    expect(fitPadding(0)).toEqual([40, 40, 40, 40]);
  });

  it("measures the legend's reach from the map's right edge; none without a legend", () => {
    const box = (left: number, right: number) => ({ getBoundingClientRect: () => ({ left, right }) });
    expect(legendClearance(box(272, 1008), box(760, 998))).toBe(248);
    expect(legendClearance(box(272, 1008), null)).toBe(0);
  });
});
