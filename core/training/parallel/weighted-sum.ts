/**
 * out[i] = sum over w of weights[w] * parts[w][i], accumulated in double precision in a fixed
 * order, so the result is the same wherever it is computed; a single part with weight 1 comes
 * out unchanged.
 */
export function weightedSum(parts: readonly Float32Array[], weights: readonly number[], out: Float32Array): Float32Array {
  if (parts.length === 0 || parts.length !== weights.length) {
    throw new Error(`weightedSum: ${parts.length} parts and ${weights.length} weights (need the same number, at least one)`);
  }
  for (const [w, p] of parts.entries()) {
    if (p.length !== out.length) throw new Error(`weightedSum: part ${w} has ${p.length} values, expected ${out.length}`);
  }
  if (parts.length === 2) {
    // The data-parallel default: one pass without an inner loop.
    const [a, b] = parts;
    const [wa, wb] = weights;
    for (let i = 0; i < out.length; i++) out[i] = wa * a[i] + wb * b[i];
    return out;
  }
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let w = 0; w < parts.length; w++) s += weights[w] * parts[w][i];
    out[i] = s;
  }
  return out;
}
