/**
 * Undoing TIFF predictors on one decoded block, in place. Rows hold `rowSamples` samples;
 * `stride` is the number of interleaved bands (1 for band-sequential files).
 * Both functions assume a little-endian host and a little-endian file.
 */

/** Predictor 2: each sample was stored as the difference to the same band's previous pixel. */
export function undoHorizontalDifferencing(block: Uint8Array, bytesPerSample: 1 | 2 | 4, rowSamples: number, rows: number, stride: number): void {
  const n = (rowSamples * rows);
  // Integer wrap-around of the typed array is the modular arithmetic the predictor needs.
  const a =
    bytesPerSample === 1
      ? block.subarray(0, n)
      : bytesPerSample === 2
        ? new Uint16Array(block.buffer, block.byteOffset, n)
        : new Uint32Array(block.buffer, block.byteOffset, n);
  for (let r = 0; r < rows; r++) {
    const end = (r + 1) * rowSamples;
    for (let i = r * rowSamples + stride; i < end; i++) a[i] += a[i - stride];
  }
}

/**
 * Predictor 3 (TIFF Technical Note 3): the bytes of a row were split into planes, most
 * significant byte first, then byte-differenced with the band stride.
 */
export function undoFloatingPointPredictor(block: Uint8Array, bytesPerSample: number, rowSamples: number, rows: number, stride: number): void {
  const rowBytes = rowSamples * bytesPerSample;
  const planes = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const row = block.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = stride; i < rowBytes; i++) row[i] = (row[i] + row[i - stride]) & 0xff;
    planes.set(row);
    for (let b = 0; b < bytesPerSample; b++) {
      const plane = (bytesPerSample - 1 - b) * rowSamples;
      for (let i = 0, o = b; i < rowSamples; i++, o += bytesPerSample) row[o] = planes[plane + i];
    }
  }
}
