/**
 * Band names and the band presets a model can be trained on. Indices are 0-based positions in
 * the files: 13 S2 bands, 2 S1 bands. A preset's channels are its S2 bands, then its S1 bands.
 */

export const S2_BANDS = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B9', 'B10', 'B11', 'B12'] as const;
export const S1_BANDS = ['VV', 'VH'] as const;
/** LC band 1 is IGBP; then the LCCS land cover, land use and surface hydrology layers. */
export const LC_BANDS = ['IGBP', 'LCCS_LC', 'LCCS_LU', 'LCCS_SH'] as const;

/** The SEN12MS 10-band S2 set B2..B8A, B11, B12 (no 60 m bands B1, B9, B10). */
export const S2_10_INDICES = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12] as const;

export const BAND_PRESET_IDS = ['s2-10', 's2-all', 'rgb', 's1', 'fusion-12'] as const;
export type BandPresetId = (typeof BAND_PRESET_IDS)[number];

export interface BandPreset {
  id: BandPresetId;
  label: string;
  s2: readonly number[];
  s1: readonly number[];
}

const ALL_S2 = S2_BANDS.map((_, i) => i);
const ALL_S1 = S1_BANDS.map((_, i) => i);

export const BAND_PRESETS: Readonly<Record<BandPresetId, BandPreset>> = {
  's2-10': { id: 's2-10', label: 'Sentinel-2, 10 bands (B2-B8A, B11, B12)', s2: S2_10_INDICES, s1: [] },
  's2-all': { id: 's2-all', label: 'Sentinel-2, all 13 bands', s2: ALL_S2, s1: [] },
  rgb: { id: 'rgb', label: 'Sentinel-2 true colour (B4, B3, B2)', s2: [3, 2, 1], s1: [] },
  s1: { id: 's1', label: 'Sentinel-1 (VV, VH)', s2: [], s1: ALL_S1 },
  'fusion-12': { id: 'fusion-12', label: 'Sentinel-2 10 bands + Sentinel-1 VV, VH', s2: S2_10_INDICES, s1: ALL_S1 },
};

/** The preset of an id from outside (CLI, settings); an unknown id lists the valid ones. */
export function bandPreset(id: string): BandPreset {
  if (!(BAND_PRESET_IDS as readonly string[]).includes(id)) {
    throw new Error(`unknown band preset "${id}" (one of: ${BAND_PRESET_IDS.join(', ')})`);
  }
  return BAND_PRESETS[id as BandPresetId];
}

/** The two sensor files a model reads, in channel order: a preset's S2 bands come first. */
export const BAND_SENSORS = ['s2', 's1'] as const;
export type BandSensor = (typeof BAND_SENSORS)[number];

/** The file a channel name is read from and its 0-based band index there ("VH" -> s1, 1). */
export function bandSource(name: string): { sensor: BandSensor; index: number } {
  const s2 = (S2_BANDS as readonly string[]).indexOf(name);
  if (s2 >= 0) return { sensor: 's2', index: s2 };
  const s1 = (S1_BANDS as readonly string[]).indexOf(name);
  if (s1 >= 0) return { sensor: 's1', index: s1 };
  throw new Error(`unknown band "${name}" (S2: ${S2_BANDS.join(', ')}; S1: ${S1_BANDS.join(', ')})`);
}

/** Channel names in model input order, e.g. ["B4", "B3", "B2"]. */
export function channelNames(preset: BandPreset): string[] {
  return [...preset.s2.map((i) => S2_BANDS[i]), ...preset.s1.map((i) => S1_BANDS[i])];
}
