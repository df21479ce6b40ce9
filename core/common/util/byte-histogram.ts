/**
 * Adds the count of each byte value, every `stride`-th byte from `start` (one band of
 * pixel-interleaved bytes), to `into`.
 */
export function byteHistogram(bytes: Uint8Array, start = 0, stride = 1, into: Uint32Array = new Uint32Array(256)): Uint32Array {
  // 256-bin histograms without a branch per pixel: indexing never leaves the array. Land cover
  // comes in long runs of one class, and one histogram would make each increment wait for the
  // previous one to the same bin; four interleaved ones keep four independent chains (~3x faster).
  const bins = new Int32Array(4 * 256);
  const n = Math.ceil((bytes.length - start) / stride);
  const quads = n - (n % 4);
  const step = 4 * stride;
  let i = start;
  for (let q = 0; q < quads; q += 4, i += step) {
    bins[bytes[i]]++;
    bins[256 + bytes[i + stride]]++;
    bins[512 + bytes[i + 2 * stride]]++;
    bins[768 + bytes[i + 3 * stride]]++;
  }
  for (; i < bytes.length; i += stride) bins[bytes[i]]++;
  for (let v = 0; v < 256; v++) into[v] += bins[v] + bins[v + 256] + bins[v + 512] + bins[v + 768];
  return into;
}
