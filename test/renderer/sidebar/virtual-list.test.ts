import { describe, expect, it } from 'vitest';
import { listboxMove, OVERSCAN, pageSize, scrollToShow, visibleRange } from '../../../renderer/src/lib/sidebar/virtual-list.js';

const ROW = 22;
const ALL = 180_662;

describe('visibleRange', () => {
  it('renders a screenful plus the overscan, wherever the list is scrolled', () => {
    expect(visibleRange(0, 440, ROW, ALL)).toEqual({ start: 0, end: 20 + OVERSCAN });
    const mid = visibleRange(100_000 * ROW + 5, 440, ROW, ALL);
    expect(mid).toEqual({ start: 100_000 - OVERSCAN, end: 100_021 + OVERSCAN });
    expect(mid.end - mid.start).toBeLessThan(40);
    // scrolled to the bottom: the last row is rendered and nothing past it
    expect(visibleRange(ALL * ROW - 440, 440, ROW, ALL)).toEqual({ start: ALL - 20 - OVERSCAN, end: ALL });
  });

  it('holds every row of a short list, and none of an empty one or before layout', () => {
    expect(visibleRange(0, 440, ROW, 7)).toEqual({ start: 0, end: 7 });
    expect(visibleRange(0, 440, ROW, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 0, ROW, 50)).toEqual({ start: 0, end: OVERSCAN });
    expect(visibleRange(-30, 440, ROW, 50).start).toBe(0);
  });
});

describe('scrollToShow', () => {
  it('moves only as far as needed to show the row whole', () => {
    expect(scrollToShow(5, 0, 440, ROW)).toBe(0);
    expect(scrollToShow(20, 0, 440, ROW)).toBe(21 * ROW - 440);
    expect(scrollToShow(3, 10 * ROW, 440, ROW)).toBe(3 * ROW);
    expect(scrollToShow(ALL - 1, 0, 440, ROW)).toBe(ALL * ROW - 440);
  });
});

describe('listboxMove', () => {
  const page = pageSize(440, ROW);

  it('moves by one, a page, or to either end, clamped to the list', () => {
    expect(page).toBe(20);
    expect(listboxMove('ArrowDown', 3, 10, page)).toBe(4);
    expect(listboxMove('ArrowDown', 9, 10, page)).toBe(9);
    expect(listboxMove('ArrowUp', 0, 10, page)).toBe(0);
    expect(listboxMove('Home', 7, 10, page)).toBe(0);
    expect(listboxMove('End', 0, ALL, page)).toBe(ALL - 1);
    expect(listboxMove('PageDown', 5, ALL, page)).toBe(25);
    expect(listboxMove('PageUp', 5, ALL, page)).toBe(0);
    expect(listboxMove('PageDown', ALL - 3, ALL, page)).toBe(ALL - 1);
  });

  it('from no active row goes to the first (or last), and ignores other keys or an empty list', () => {
    expect(listboxMove('ArrowDown', -1, 10, page)).toBe(0);
    expect(listboxMove('ArrowUp', -1, 10, page)).toBe(9);
    expect(listboxMove('Enter', 2, 10, page)).toBeNull();
    expect(listboxMove('ArrowDown', -1, 0, page)).toBeNull();
    expect(pageSize(10, ROW)).toBe(1);
  });
});
