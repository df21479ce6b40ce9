import { resolve } from 'node:path';
import { parseSubsetSyntax, type SubsetSpec } from '../common/sampler/selection-spec.js';

/** A subset's text form (parseSubsetSyntax) with a relative list file taken from the current directory. */
export function parseSubsetText(text: string | undefined): SubsetSpec {
  return parseSubsetSyntax(text === undefined ? undefined : subsetTextFromHere(text));
}

/** The text form with a relative list file made absolute: the run, or a job's worker, may read it from another folder. */
export function subsetTextFromHere(text: string): string {
  return /^list:./.test(text) ? `list:${resolve(text.slice(5))}` : text;
}
