import { describe, expect, it } from 'vitest';
import { BAND_PRESETS, BAND_PRESET_IDS, bandPreset, channelNames, S1_BANDS, S2_BANDS } from '../../../core/common/dataset/bands.js';

describe('band presets', () => {
  it('names the 13 S2 and 2 S1 bands in file order', () => {
    expect(S2_BANDS).toHaveLength(13);
    expect(S2_BANDS[8]).toBe('B8A');
    expect(S1_BANDS).toEqual(['VV', 'VH']);
  });

  it('defines the five presets with their channels', () => {
    expect(BAND_PRESET_IDS).toEqual(['s2-10', 's2-all', 'rgb', 's1', 'fusion-12']);
    expect(channelNames(BAND_PRESETS['s2-10'])).toEqual(['B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B8A', 'B11', 'B12']);
    expect(channelNames(BAND_PRESETS['s2-all'])).toEqual([...S2_BANDS]);
    expect(channelNames(BAND_PRESETS.rgb)).toEqual(['B4', 'B3', 'B2']);
    expect(channelNames(BAND_PRESETS.s1)).toEqual(['VV', 'VH']);
    expect(channelNames(BAND_PRESETS['fusion-12'])).toEqual([...channelNames(BAND_PRESETS['s2-10']), 'VV', 'VH']);
  });

  it('looks a preset up by id and lists the valid ids otherwise', () => {
    expect(bandPreset('rgb').s2).toEqual([3, 2, 1]);
    expect(() => bandPreset('s2-11')).toThrow(/unknown band preset "s2-11" \(one of: s2-10, s2-all, rgb, s1, fusion-12\)/);
  });
});
