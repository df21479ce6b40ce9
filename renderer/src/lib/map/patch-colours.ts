/**
 * What a patch's colour on the map means, per "colour by" mode: one table per mode (feature
 * property, value -> colour and legend text) that both the WebGL points (a style expression) and
 * the canvas footprints (a lookup) are built from, so the two can never disagree.
 */
import { SIMPLIFIED_CLASSES } from '#common/dataset/labels.js';
import { cssHex, SIMPLIFIED_PALETTE } from '#common/preview/palettes.js';
import type { ColourBy } from '../app-types.js';

/** The numeric feature properties a patch carries on the map (WebGL styles read numbers only). */
export interface PatchAttributes {
  /** Effective simplified single label, 1..10: the user's override, else the catalog's. */
  label: number;
  /** 0 train, 1 test. */
  split: number;
  /** 0 not annotated, 1 annotated, 2 flagged noisy. */
  annotation: number;
  /** 0 no prediction, 1 correct, 2 wrong. */
  prediction: number;
}

export interface LegendEntry {
  value: number;
  label: string;
  colour: string;
}

export interface ColourTable {
  property: keyof PatchAttributes;
  entries: LegendEntry[];
}

/** Drawn for a value no entry names (e.g. a label outside 1..10 from a newer catalog). */
export const UNKNOWN_COLOUR = '#777777';

// Okabe & Ito (2008) colours: distinguishable with every common colour vision deficiency.
const OKABE_ITO = { blue: '#0072B2', orange: '#E69F00', vermillion: '#D55E00', yellow: '#F0E442', grey: '#BBBBBB' };

export const COLOUR_TABLES: Readonly<Record<ColourBy, ColourTable>> = {
  label: {
    property: 'label',
    entries: SIMPLIFIED_CLASSES.map((name, i) => ({ value: i + 1, label: name, colour: cssHex(SIMPLIFIED_PALETTE[i]) })),
  },
  split: {
    property: 'split',
    entries: [
      { value: 0, label: 'train', colour: OKABE_ITO.blue },
      { value: 1, label: 'test (hold-out scenes)', colour: OKABE_ITO.yellow },
    ],
  },
  annotation: {
    property: 'annotation',
    entries: [
      { value: 0, label: 'not annotated', colour: OKABE_ITO.grey },
      { value: 1, label: 'annotated', colour: OKABE_ITO.blue },
      { value: 2, label: 'flagged noisy', colour: OKABE_ITO.orange },
    ],
  },
  prediction: {
    property: 'prediction',
    entries: [
      { value: 0, label: 'no prediction', colour: OKABE_ITO.grey },
      { value: 1, label: 'correct', colour: OKABE_ITO.blue },
      { value: 2, label: 'wrong', colour: OKABE_ITO.vermillion },
    ],
  },
};

export const COLOUR_MODES = Object.keys(COLOUR_TABLES) as ColourBy[];

export function patchColour(mode: ColourBy, attrs: PatchAttributes): string {
  const table = COLOUR_TABLES[mode];
  return table.entries.find((e) => e.value === attrs[table.property])?.colour ?? UNKNOWN_COLOUR;
}

/**
 * An ol flat-style colour expression equal to patchColour: a `match` on the mode's property,
 * chosen by the numeric style variable `mode` (its index in COLOUR_MODES), so switching modes
 * is a style-variable update, not a rebuild of 180,000 features.
 */
export function colourExpression(): unknown[] {
  const byMode = COLOUR_MODES.flatMap((mode, index) => {
    const table = COLOUR_TABLES[mode];
    const match = ['match', ['get', table.property], ...table.entries.flatMap((e) => [e.value, e.colour]), UNKNOWN_COLOUR];
    return [['==', ['var', 'mode'], index], match];
  });
  return ['case', ...byMode, UNKNOWN_COLOUR];
}
