/**
 * Square band resampling straight into a channels-last (HWC) buffer: the mean of each k x k block
 * when the output divides the input (every input pixel counts once, no aliasing), bilinear with
 * half-pixel centres otherwise (as torch's interpolate(align_corners=False) and tfjs's
 * resizeBilinear(halfPixelCenters=true)).
 */

/** Which resampling resampleInto applies from inSize to outSize (the model card names it). */
export function resampleMethod(inSize: number, outSize: number): 'area' | 'bilinear' {
  return inSize % outSize === 0 ? 'area' : 'bilinear';
}

/** Writes `band` (inSize x inSize, row-major) resampled to outSize x outSize into channel `channel` of `out`. */
export function resampleInto(band: Float32Array, inSize: number, outSize: number, out: Float32Array, channel: number, channels: number): void {
  if (band.length !== inSize * inSize) throw new RangeError(`band has ${band.length} pixels, expected ${inSize}x${inSize}`);
  if (out.length !== outSize * outSize * channels) throw new RangeError(`output holds ${out.length} values, expected ${outSize}x${outSize}x${channels}`);
  if (resampleMethod(inSize, outSize) === 'area') areaMean(band, inSize, outSize, out, channel, channels);
  else bilinear(band, inSize, outSize, out, channel, channels);
}

function areaMean(band: Float32Array, inSize: number, outSize: number, out: Float32Array, channel: number, channels: number): void {
  const k = inSize / outSize;
  const inv = 1 / (k * k);
  const row = new Float64Array(outSize);
  for (let oy = 0; oy < outSize; oy++) {
    row.fill(0);
    for (let y = oy * k; y < (oy + 1) * k; y++) {
      const base = y * inSize;
      for (let x = 0; x < inSize; x++) row[(x / k) | 0] += band[base + x];
    }
    for (let ox = 0; ox < outSize; ox++) out[(oy * outSize + ox) * channels + channel] = row[ox] * inv;
  }
}

/** Source index pairs and weights of each output coordinate along one axis. */
function axis(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; w: Float32Array } {
  const scale = inSize / outSize;
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const w = new Float32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = Math.min(inSize - 1, Math.max(0, (o + 0.5) * scale - 0.5));
    i0[o] = Math.floor(s);
    i1[o] = Math.min(inSize - 1, i0[o] + 1);
    w[o] = s - i0[o];
  }
  return { i0, i1, w };
}

function bilinear(band: Float32Array, inSize: number, outSize: number, out: Float32Array, channel: number, channels: number): void {
  const { i0, i1, w } = axis(inSize, outSize);
  for (let oy = 0; oy < outSize; oy++) {
    const r0 = i0[oy] * inSize;
    const r1 = i1[oy] * inSize;
    const wy = w[oy];
    for (let ox = 0; ox < outSize; ox++) {
      const a = i0[ox];
      const b = i1[ox];
      const wx = w[ox];
      const top = band[r0 + a] + (band[r0 + b] - band[r0 + a]) * wx;
      const bottom = band[r1 + a] + (band[r1 + b] - band[r1 + a]) * wx;
      out[(oy * outSize + ox) * channels + channel] = top + (bottom - top) * wy;
    }
  }
}
