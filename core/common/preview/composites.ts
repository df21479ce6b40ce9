import { S2_BANDS, type LC_BANDS, type S1_BANDS } from '../dataset/bands.js';
import { SENSOR_BANDS, type Sensor } from './band-data.js';
import type { RampName } from './palettes.js';
import type { ValueRange } from './stretch.js';

/**
 * The named previews of a patch: which sensor, which bands, and how they become colours.
 * 'rgb' stretches three channels, 'grey' one, 'ramp' maps one channel through a colour ramp over
 * a fixed range (indices), the percentile stretch (a single band) or the channel's whole range
 * ('minmax', class codes), 'classes' colours LC class values with a legend.
 * Besides the named composites, a preview name may be 'band:<band>' (one band of any sensor
 * through viridis) or 'rgb:<r>,<g>,<b>' (three S2 bands): previewSpec reads all three forms, for
 * the renderer and the service alike.
 */

type S2Band = (typeof S2_BANDS)[number];
type S1Band = (typeof S1_BANDS)[number];
type LcBand = (typeof LC_BANDS)[number];
export type BandName = S2Band | S1Band | LcBand;

/** A channel's value per pixel: a band, a difference (a ratio when the bands are in dB), or (a-b)/(a+b). */
export type ChannelSource =
  | { kind: 'band'; band: BandName }
  | { kind: 'difference'; a: BandName; b: BandName; label: string; unit: string }
  | { kind: 'normalised-difference'; a: BandName; b: BandName; label: string; unit: string };

interface CompositeBase {
  label: string;
  sensor: Sensor;
  channels: readonly ChannelSource[];
}

export type Composite = CompositeBase &
  ({ kind: 'rgb' } | { kind: 'grey' } | { kind: 'ramp'; ramp: RampName; range?: ValueRange | 'minmax' } | { kind: 'classes' });

/** One class of a class preview's legend: the classes present in the patch, with their share of valid pixels. */
export interface LegendEntry {
  value: number;
  label: string;
  /** CSS '#rrggbb'. */
  colour: string;
  fraction: number;
}

const band = (name: BandName): ChannelSource => ({ kind: 'band', band: name });

const NDVI: ChannelSource = { kind: 'normalised-difference', a: 'B8', b: 'B4', label: 'NDVI', unit: '' };
// McFeeters' NDWI: open water is positive, vegetation and soil negative.
const NDWI: ChannelSource = { kind: 'normalised-difference', a: 'B3', b: 'B8', label: 'NDWI', unit: '' };
// In dB, VV - VH is the log of the VV/VH power ratio.
const VV_VH_RATIO: ChannelSource = { kind: 'difference', a: 'VV', b: 'VH', label: 'VV/VH ratio', unit: 'dB' };

export const COMPOSITES = {
  's2-true-colour': { label: 'S2 true colour (B4, B3, B2)', sensor: 's2', kind: 'rgb', channels: [band('B4'), band('B3'), band('B2')] },
  's2-false-colour': { label: 'S2 false colour (B8, B4, B3)', sensor: 's2', kind: 'rgb', channels: [band('B8'), band('B4'), band('B3')] },
  's2-swir': { label: 'S2 SWIR (B12, B8A, B4)', sensor: 's2', kind: 'rgb', channels: [band('B12'), band('B8A'), band('B4')] },
  // Indices diverge around 0, so diverging ramps (ColorBrewer, both marked colour-blind safe).
  's2-ndvi': { label: 'S2 NDVI (B8, B4)', sensor: 's2', kind: 'ramp', ramp: 'brbg', range: { min: -1, max: 1 }, channels: [NDVI] },
  's2-ndwi': { label: 'S2 NDWI (B3, B8)', sensor: 's2', kind: 'ramp', ramp: 'rdbu', range: { min: -1, max: 1 }, channels: [NDWI] },
  's1-vv': { label: 'S1 VV', sensor: 's1', kind: 'grey', channels: [band('VV')] },
  's1-vh': { label: 'S1 VH', sensor: 's1', kind: 'grey', channels: [band('VH')] },
  's1-vv-vh-ratio': { label: 'S1 VV, VH, VV/VH', sensor: 's1', kind: 'rgb', channels: [band('VV'), band('VH'), VV_VH_RATIO] },
  'lc-igbp': { label: 'LC IGBP classes', sensor: 'lc', kind: 'classes', channels: [band('IGBP')] },
} as const satisfies Record<string, Composite>;

export type CompositeName = keyof typeof COMPOSITES;
export const COMPOSITE_NAMES = Object.keys(COMPOSITES) as CompositeName[];

/** The composite of a name from outside (API, settings); an unknown name lists the valid ones. */
export function composite(name: string): Composite {
  if (!Object.hasOwn(COMPOSITES, name)) throw new RangeError(`unknown composite "${name}" (one of: ${COMPOSITE_NAMES.join(', ')})`);
  return COMPOSITES[name as CompositeName];
}

/** The bands a channel reads. */
export function channelBands(source: ChannelSource): BandName[] {
  return source.kind === 'band' ? [source.band] : [source.a, source.b];
}

/** The bands a composite reads, each once, so a caller can decode only those. */
export function compositeBands(name: CompositeName): BandName[] {
  return [...new Set(composite(name).channels.flatMap(channelBands))];
}

/** A named composite, 'band:<band>' or 'rgb:<r>,<g>,<b>'. */
export type PreviewName = CompositeName | `band:${string}` | `rgb:${string}`;

export const singleBandName = (band: BandName): PreviewName => `band:${band}`;
export const customRgbName = (bands: readonly [BandName, BandName, BandName]): PreviewName => `rgb:${bands.join(',')}`;

/** The S2 bands a custom RGB picks from, and the ones it starts with (true colour). */
export const RGB_BANDS: readonly BandName[] = S2_BANDS;
export const DEFAULT_CUSTOM_RGB: readonly [BandName, BandName, BandName] = ['B4', 'B3', 'B2'];

function sensorOf(bandName: string): Sensor | undefined {
  return (Object.keys(SENSOR_BANDS) as Sensor[]).find((s) => SENSOR_BANDS[s].includes(bandName));
}

/** The composite a preview name draws; a bad name says what is wrong and what is allowed. */
export function previewSpec(name: string): Composite {
  if (name.startsWith('band:')) {
    const b = name.slice(5);
    const sensor = sensorOf(b);
    if (sensor === undefined) {
      throw new RangeError(`unknown band "${b}" in "${name}" (one of: ${Object.values(SENSOR_BANDS).flat().join(', ')})`);
    }
    // Class codes have no outliers to clip: they span their whole range.
    return { label: `${b} (single band)`, sensor, kind: 'ramp', ramp: 'viridis', ...(sensor === 'lc' ? { range: 'minmax' as const } : {}), channels: [band(b as BandName)] };
  }
  if (name.startsWith('rgb:')) {
    const parts = name.slice(4).split(',');
    if (parts.length !== 3) throw new RangeError(`"${name}": a custom RGB names three S2 bands, e.g. rgb:B12,B8,B4`);
    for (const p of parts) {
      if (!RGB_BANDS.includes(p as BandName)) throw new RangeError(`"${p}" in "${name}" is not an S2 band (one of: ${RGB_BANDS.join(', ')})`);
    }
    return { label: `S2 custom RGB (${parts.join(', ')})`, sensor: 's2', kind: 'rgb', channels: parts.map((p) => band(p as BandName)) };
  }
  try {
    return composite(name);
  } catch (err) {
    throw new RangeError(`${(err as Error).message}, or band:<band>, or rgb:<r>,<g>,<b> of S2 bands`);
  }
}

/** The bands a preview reads, each once. */
export function previewBands(name: string): BandName[] {
  return [...new Set(previewSpec(name).channels.flatMap(channelBands))];
}
