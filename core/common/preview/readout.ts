import { IGBP_CLASSES } from '../dataset/labels.js';
import { checkBandData, isNoData, SENSOR_BANDS, type BandData, type Sensor } from './band-data.js';
import { S2_REFLECTANCE_SCALE } from './band-info.js';
import { channelValueAt } from './channel-values.js';
import { channelBands, COMPOSITES, type ChannelSource } from './composites.js';

/** The values under the cursor: every band present, and the derived indices of the sensor's composites. */

export interface BandReading {
  band: string;
  /** As stored in the file. */
  value: number;
  noData: boolean;
  unit: string;
  /** S2 only: top-of-atmosphere reflectance, value / 10000. */
  reflectance?: number;
  /** LC IGBP band only: the class name, when the value is a class. */
  className?: string;
}

export interface IndexReading {
  label: string;
  /** NaN where an input band is no data. */
  value: number;
  unit: string;
}

export interface PixelReadout {
  x: number;
  y: number;
  bands: BandReading[];
  indices: IndexReading[];
}

const UNITS: Readonly<Record<Sensor, string>> = { s2: 'reflectance x 10000', s1: 'dB', lc: 'class' };

/** The readout of the pixel containing (x, y), in pixel coordinates from the top-left corner. */
export function valueAt(data: BandData, x: number, y: number): PixelReadout {
  checkBandData(data);
  const col = Math.floor(x);
  const row = Math.floor(y);
  if (!(col >= 0 && col < data.width)) throw new RangeError(`x: ${x} is outside 0..${data.width}`);
  if (!(row >= 0 && row < data.height)) throw new RangeError(`y: ${y} is outside 0..${data.height}`);
  const i = row * data.width + col;
  const bands = SENSOR_BANDS[data.sensor].flatMap((band) => {
    const values = data.bands[band];
    return values === undefined ? [] : [bandReading(data.sensor, band, values[i])];
  });
  const indices = derivedChannels(data).map((source) => ({ label: source.label, value: channelValueAt(data, source, i), unit: source.unit }));
  return { x: col, y: row, bands, indices };
}

function bandReading(sensor: Sensor, band: string, value: number): BandReading {
  const noData = isNoData(sensor, value);
  const reading: BandReading = { band, value, noData, unit: UNITS[sensor] };
  if (sensor === 's2') reading.reflectance = value / S2_REFLECTANCE_SCALE;
  if (band === 'IGBP' && value >= 1 && value <= IGBP_CLASSES.length) reading.className = IGBP_CLASSES[value - 1];
  return reading;
}

type DerivedSource = Exclude<ChannelSource, { kind: 'band' }>;

/** The derived channels (NDVI, VV/VH) of the data's sensor whose input bands are present, each once. */
function derivedChannels(data: BandData): DerivedSource[] {
  const byLabel = new Map<string, DerivedSource>();
  for (const spec of Object.values(COMPOSITES)) {
    if (spec.sensor !== data.sensor) continue;
    for (const source of spec.channels as readonly ChannelSource[]) {
      if (source.kind !== 'band' && channelBands(source).every((b) => data.bands[b] !== undefined)) byLabel.set(source.label, source);
    }
  }
  return [...byLabel.values()];
}
