import { bandValue, checkBandData, requireBand, type BandData } from './band-data.js';
import { channelBands, type ChannelSource } from './composites.js';

/** A channel's value at pixel index i; NaN where an input band is no data (or a+b is 0). */
export function channelValueAt(data: BandData, source: ChannelSource, i: number): number {
  switch (source.kind) {
    case 'band':
      return bandValue(data, source.band, i);
    case 'difference':
      return bandValue(data, source.a, i) - bandValue(data, source.b, i);
    case 'normalised-difference': {
      const a = bandValue(data, source.a, i);
      const b = bandValue(data, source.b, i);
      return a + b === 0 ? Number.NaN : (a - b) / (a + b);
    }
  }
}

/** A channel over the whole image. */
export function channelValues(data: BandData, source: ChannelSource): Float32Array {
  checkBandData(data);
  for (const band of channelBands(source)) requireBand(data, band);
  const out = new Float32Array(data.width * data.height);
  for (let i = 0; i < out.length; i++) out[i] = channelValueAt(data, source, i);
  return out;
}
