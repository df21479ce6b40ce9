import { cssHex, RAMPS, rampColour } from '#common/preview/palettes.js';

/** Cividis: sequential, perceptually uniform and near-uniform under deuteranopia, for accuracies in [0, 1]. */
export const CHOROPLETH_RAMP = RAMPS.cividis;

export function choroplethColour(value: number, alpha = 1): string {
  const [r, g, b] = rampColour(value, CHOROPLETH_RAMP);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** A CSS linear-gradient of the ramp, left 0 to right 1, for the legend bar. */
export function choroplethGradient(stops = 9): string {
  const colours = Array.from({ length: stops }, (_, i) => cssHex(rampColour(i / (stops - 1), CHOROPLETH_RAMP)));
  return `linear-gradient(to right, ${colours.join(', ')})`;
}
