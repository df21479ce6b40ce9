/** Convolution cases shared by the tests of the wasm and the native convolution kernels. */
export type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];

export interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inC: number;
  outC: number;
  k: number;
  stride: number;
  pad: Pad;
  dilation?: number;
}

export function convLabel(c: ConvCase): string {
  const dilation = c.dilation ? ` dilation ${c.dilation}` : '';
  return `${c.k}x${c.k}/${c.stride}${dilation} pad ${JSON.stringify(c.pad)} x ${c.batch}x${c.height}x${c.width}x${c.inC} -> ${c.outC}`;
}
