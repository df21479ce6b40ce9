/**
 * The arithmetic of a virtualised list of fixed-height rows: which rows the DOM holds for a
 * scroll position, where to scroll to show a row, and where a listbox key moves. The list on the
 * real data set holds 180,000 ids; only a screenful of rows (plus a few) is ever rendered.
 */

/** Rows rendered above and below the visible ones, so a fast scroll shows no blank. */
export const OVERSCAN = 4;

/** The rows [start, end) to render for a viewport scrolled to `scrollTop`. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = OVERSCAN): { start: number; end: number } {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.min(count, last + overscan) };
}

/** The scrollTop that shows row `index` whole, moving as little as possible. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Whole rows a viewport shows: the step of PageUp / PageDown (at least 1). */
export function pageSize(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}

/**
 * Where a key moves the active row of a listbox of `count` rows (ARIA listbox pattern), or null
 * for a key the listbox does not handle. From no active row (-1), any move key goes to a first
 * row: the top one, or the last for End / ArrowUp.
 */
export function listboxMove(key: string, index: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return index < 0 ? 0 : clamp(index + 1);
    case 'ArrowUp':
      return index < 0 ? count - 1 : clamp(index - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return clamp((index < 0 ? 0 : index) + page);
    case 'PageUp':
      return clamp((index < 0 ? 0 : index) - page);
    default:
      return null;
  }
}
