import type { ColourBar } from '#common/preview/render.js';

/**
 * The numbers under a colour bar: its two ends and the middle, written to the precision the
 * unit is read at (reflectance to 0.001, dB to 0.1, classes whole, indices to 0.01).
 */
const DIGITS: Readonly<Record<string, number>> = { reflectance: 3, dB: 1, class: 0 };

export function formatPhysical(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'no data';
  const text = value.toFixed(DIGITS[unit] ?? 2);
  // toFixed writes -0.000 for tiny negatives; a minus sign on zero would mislead.
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

export interface Tick {
  /** 0 at the ramp's first colour, 1 at its last. */
  at: number;
  text: string;
}

export function colourBarTicks(bar: ColourBar): Tick[] {
  if (!(bar.max > bar.min)) return [{ at: 0.5, text: formatPhysical(bar.min, bar.unit) }];
  return [0, 0.5, 1].map((at) => ({ at, text: formatPhysical(bar.min + (bar.max - bar.min) * at, bar.unit) }));
}
