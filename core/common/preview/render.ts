import { igbpFractions, IGBP_CLASSES } from '../dataset/labels.js';
import { checkBandData, requireBand, type BandData, type Sensor } from './band-data.js';
import { bandLabel, PHYSICAL_UNITS, physicalValue } from './band-info.js';
import { channelValues } from './channel-values.js';
import { previewSpec, type ChannelSource, type Composite, type LegendEntry } from './composites.js';
import { cssHex, IGBP_PALETTES, RAMPS, rampColour, type IgbpPaletteName, type RampName, type Rgb } from './palettes.js';
import { percentileRange, stretchOptions, stretchValue, type StretchOptions, type ValueRange } from './stretch.js';

/** Draws a composite of one sensor's bands into RGBA pixels; no-data pixels are transparent. */

export interface RenderOptions extends StretchOptions {
  /** Fixed value ranges per channel instead of percentiles, e.g. to show several patches on one scale. */
  ranges?: readonly ValueRange[];
  /** IGBP colours of the class composite (default 'safe', the map legend's). */
  classPalette?: IgbpPaletteName;
}

export interface RenderedComposite {
  width: number;
  height: number;
  /** Row-major RGBA, 4 bytes a pixel, as ImageData takes it. */
  rgba: Uint8ClampedArray;
  /** The value range mapped onto 0..255, per channel (one for grey and ramp composites, none for classes). */
  ranges: ValueRange[];
  legend?: LegendEntry[];
  /** Ramp composites: what the colours stand for, over which values. */
  colourBar?: ColourBar;
}

/** The key of a ramp composite, in the physical unit of what it shows. */
export interface ColourBar {
  ramp: RampName;
  /** "B10 cirrus (SWIR), 1374 nm, 60 m", "NDVI". */
  quantity: string;
  /** 'reflectance', 'dB', 'class', or '' for a unitless index. */
  unit: string;
  /** The values at the ramp's two ends, in `unit`: lower values take the first colour, higher the last. */
  min: number;
  max: number;
}

/** `name` is a preview name (see previewSpec) or a composite built by the caller. */
export function renderComposite(bands: BandData, name: string | Composite, opts: RenderOptions = {}): RenderedComposite {
  const spec = typeof name === 'string' ? previewSpec(name) : name;
  checkBandData(bands);
  if (bands.sensor !== spec.sensor) throw new RangeError(`composite ${name} draws ${spec.sensor} bands, got ${bands.sensor} data`);
  const { width, height } = bands;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const channels = spec.channels.map((source) => channelValues(bands, source));
  switch (spec.kind) {
    case 'rgb':
    case 'grey': {
      const { low, high, gamma } = stretchOptions(opts);
      const ranges = opts.ranges ? checkRanges(opts.ranges, channels.length) : channels.map((c) => percentileRange(c, low, high));
      // A grey composite repeats its one channel in R, G and B.
      const [r, g, b] = [0, 1, 2].map((k) => channels[Math.min(k, channels.length - 1)]);
      const [rRange, gRange, bRange] = [0, 1, 2].map((k) => ranges[Math.min(k, ranges.length - 1)]);
      for (let i = 0, o = 0; i < width * height; i++, o += 4) {
        if (Number.isNaN(r[i]) || Number.isNaN(g[i]) || Number.isNaN(b[i])) continue;
        rgba[o] = Math.round(255 * stretchValue(r[i], rRange, gamma));
        rgba[o + 1] = Math.round(255 * stretchValue(g[i], gRange, gamma));
        rgba[o + 2] = Math.round(255 * stretchValue(b[i], bRange, gamma));
        rgba[o + 3] = 255;
      }
      return { width, height, rgba, ranges };
    }
    case 'ramp': {
      const values = channels[0];
      const range = rampRange(values, spec.range, opts);
      const ramp = RAMPS[spec.ramp];
      for (let i = 0, o = 0; i < width * height; i++, o += 4) {
        if (Number.isNaN(values[i])) continue;
        // Linear, no gamma: the colour bar reads as a linear scale.
        rgba.set(rampColour(stretchValue(values[i], range, 1), ramp), o);
        rgba[o + 3] = 255;
      }
      return { width, height, rgba, ranges: [range], colourBar: colourBar(spec.sensor, spec.channels[0], spec.ramp, range) };
    }
    case 'classes': {
      const palette = IGBP_PALETTES[opts.classPalette ?? 'safe'];
      if (palette === undefined) throw new RangeError(`classPalette: expected one of ${Object.keys(IGBP_PALETTES).join(', ')}, got ${opts.classPalette}`);
      const classes = channels[0];
      for (let i = 0, o = 0; i < width * height; i++, o += 4) {
        const colour = palette[classes[i] - 1];
        // No class (0) and values outside 1..17 stay transparent.
        if (colour === undefined) continue;
        rgba.set(colour, o);
        rgba[o + 3] = 255;
      }
      return { width, height, rgba, ranges: [], legend: igbpLegend(requireBand(bands, 'IGBP') as Uint8Array, palette) };
    }
  }
}

function rampRange(values: Float32Array, fixed: ValueRange | 'minmax' | undefined, opts: RenderOptions): ValueRange {
  if (opts.ranges) return checkRanges(opts.ranges, 1)[0];
  if (fixed === 'minmax') return percentileRange(values, 0, 100);
  if (fixed) return { ...fixed };
  const { low, high } = stretchOptions(opts);
  return percentileRange(values, low, high);
}

function colourBar(sensor: Sensor, source: ChannelSource, ramp: RampName, range: ValueRange): ColourBar {
  if (source.kind !== 'band') return { ramp, quantity: source.label, unit: source.unit, min: range.min, max: range.max };
  return { ramp, quantity: bandLabel(source.band), unit: PHYSICAL_UNITS[sensor], min: physicalValue(sensor, range.min), max: physicalValue(sensor, range.max) };
}

function checkRanges(ranges: readonly ValueRange[], channels: number): ValueRange[] {
  if (ranges.length !== channels) throw new RangeError(`ranges: expected ${channels} (one per channel), got ${ranges.length}`);
  ranges.forEach((r, k) => {
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) throw new RangeError(`ranges[${k}]: min and max must be finite numbers`);
  });
  return [...ranges];
}

/** The IGBP classes present, ascending, with their share of the pixels holding a class. */
function igbpLegend(igbp: Uint8Array, palette: readonly Rgb[]): LegendEntry[] {
  return igbpFractions(igbp).flatMap((fraction, k) =>
    fraction > 0 ? [{ value: k + 1, label: IGBP_CLASSES[k], colour: cssHex(palette[k]), fraction }] : [],
  );
}
