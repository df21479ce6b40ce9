import { describe, expect, it } from 'vitest';
import { RAMPS, rampColour } from '../../../core/common/preview/palettes.js';
import { choroplethColour, choroplethGradient } from '../../../renderer/src/lib/map/choropleth.js';

describe('choropleth colours', () => {
  it('maps 0 and 1 to the ends of cividis, with the alpha asked for', () => {
    const [r0, g0, b0] = RAMPS.cividis.stops[0];
    const [r1, g1, b1] = RAMPS.cividis.stops.at(-1)!;
    expect(choroplethColour(0, 0.5)).toBe(`rgba(${r0}, ${g0}, ${b0}, 0.5)`);
    expect(choroplethColour(1)).toBe(`rgba(${r1}, ${g1}, ${b1}, 1)`);
    const [r, g, b] = rampColour(0.3, RAMPS.cividis);
    expect(choroplethColour(0.3)).toBe(`rgba(${r}, ${g}, ${b}, 1)`);
  });

  it('the legend gradient runs from the 0 colour to the 1 colour', () => {
    const stops = choroplethGradient(5).match(/#[0-9a-f]{6}/g)!;
    expect(stops.length).toBe(5);
    const hex = (rgb: readonly number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    expect(stops[0]).toBe(hex(RAMPS.cividis.stops[0]));
    expect(stops[4]).toBe(hex(RAMPS.cividis.stops.at(-1)!));
  });
});
