import type { LC_BANDS, S1_BANDS, S2_BANDS } from '../dataset/bands.js';
import type { Sensor } from './band-data.js';
import type { RampName } from './palettes.js';
import type { ValueRange } from './stretch.js';

/**
 * The named previews of a patch: which sensor, which bands, and how they become colours.
 * 'rgb' stretches three channels, 'grey' one, 'ramp' maps one channel over a fixed range through
 * a colour ramp, 'classes' colours LC class values with a legend.
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
  ({ kind: 'rgb' } | { kind: 'grey' } | { kind: 'ramp'; ramp: RampName; range: ValueRange } | { kind: 'classes' });

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
// In dB, VV - VH is the log of the VV/VH power ratio.
const VV_VH_RATIO: ChannelSource = { kind: 'difference', a: 'VV', b: 'VH', label: 'VV/VH ratio', unit: 'dB' };

export const COMPOSITES = {
  's2-true-colour': { label: 'S2 true colour (B4, B3, B2)', sensor: 's2', kind: 'rgb', channels: [band('B4'), band('B3'), band('B2')] },
  's2-false-colour': { label: 'S2 false colour (B8, B4, B3)', sensor: 's2', kind: 'rgb', channels: [band('B8'), band('B4'), band('B3')] },
  's2-swir': { label: 'S2 SWIR (B12, B8A, B4)', sensor: 's2', kind: 'rgb', channels: [band('B12'), band('B8A'), band('B4')] },
  's2-ndvi': { label: 'S2 NDVI', sensor: 's2', kind: 'ramp', ramp: 'viridis', range: { min: -1, max: 1 }, channels: [NDVI] },
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
