import { resolve } from 'node:path';
import { parseSubsetSyntax, type SubsetSpec } from '../common/sampler/selection-spec.js';

/** A subset's text form (parseSubsetSyntax) with a relative list file taken from the current directory. */
export function parseSubsetText(text: string | undefined): SubsetSpec {
  const spec = parseSubsetSyntax(text);
  return spec.kind === 'list' ? { ...spec, file: resolve(spec.file) } : spec;
}
