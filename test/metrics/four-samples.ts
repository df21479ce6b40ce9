/**
 * The hand-worked multi-label case shared by the tests: four samples, three labels, the third
 * sample with no true label (and, at threshold 0.5, no predicted one), a tie at 0.5 in the last.
 */
export const Y_TRUE = [
  [1, 0, 1],
  [0, 1, 0],
  [0, 0, 0],
  [1, 1, 0],
];

export const SCORES = [
  [0.9, 0.2, 0.4],
  [0.6, 0.7, 0.1],
  [0.3, 0.1, 0.2],
  [0.8, 0.5, 0.5],
];
