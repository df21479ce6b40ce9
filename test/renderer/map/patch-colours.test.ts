import { buildExpression, newEvaluationContext } from 'ol/expr/cpu.js';
import { ColorType, newParsingContext } from 'ol/expr/expression.js';
import { describe, expect, it } from 'vitest';
import { SIMPLIFIED_CLASSES } from '../../../core/common/dataset/labels.js';
import { cssHex, SIMPLIFIED_PALETTE } from '../../../core/common/preview/palettes.js';
import {
  COLOUR_MODES,
  COLOUR_TABLES,
  colourExpression,
  patchColour,
  UNKNOWN_COLOUR,
  type PatchAttributes,
} from '../../../renderer/src/lib/map/patch-colours.js';

function hexOf(colour: string | number[]): string {
  if (typeof colour === 'string') return colour.toLowerCase();
  return cssHex([colour[0], colour[1], colour[2]]);
}

/** Every combination of attribute values the tables name, plus one value none names. */
function combinations(): PatchAttributes[] {
  const out: PatchAttributes[] = [];
  for (let label = 0; label <= SIMPLIFIED_CLASSES.length + 1; label++)
    for (const split of [0, 1]) for (const annotation of [0, 1, 2, 3]) for (const prediction of [0, 1, 2]) out.push({ label, split, annotation, prediction });
  return out;
}

describe('patch colours', () => {
  it('colour by label uses the colour-blind-safe simplified palette, class k -> entry k-1', () => {
    for (let k = 1; k <= SIMPLIFIED_CLASSES.length; k++) {
      expect(patchColour('label', { label: k, split: 0, annotation: 0, prediction: 0 })).toBe(cssHex(SIMPLIFIED_PALETTE[k - 1]));
    }
    expect(patchColour('label', { label: 99, split: 0, annotation: 0, prediction: 0 })).toBe(UNKNOWN_COLOUR);
  });

  it('gives distinct colours within every mode, none of them the unknown colour', () => {
    for (const mode of COLOUR_MODES) {
      const colours = COLOUR_TABLES[mode].entries.map((e) => e.colour.toLowerCase());
      expect(new Set(colours).size, mode).toBe(colours.length);
      expect(colours).not.toContain(UNKNOWN_COLOUR.toLowerCase());
    }
  });

  it('the WebGL style expression, evaluated by ol, agrees with patchColour for every mode and value', () => {
    const context = newParsingContext();
    const evaluate = buildExpression(colourExpression() as never, ColorType, context);
    for (const [index, mode] of COLOUR_MODES.entries()) {
      for (const attrs of combinations()) {
        const ctx = newEvaluationContext();
        ctx.variables = { mode: index };
        ctx.properties = { ...attrs };
        expect(hexOf(evaluate(ctx) as string | number[]), `${mode} ${JSON.stringify(attrs)}`).toBe(patchColour(mode, attrs).toLowerCase());
      }
    }
  });
});
