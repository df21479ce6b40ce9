import { channelNames, type BandPreset } from '../common/dataset/bands.js';
import { S1_CLIP_DB, S1_STATS, S2_STATS, type S1Options } from '../dataset/normalise.js';
import type { ModelCard } from './model-card.js';

/**
 * The model card's input description for a band preset, from the same statistics the training
 * input uses (core/dataset/normalise.ts), so the card reproduces the app's normalisation. S2
 * values are never NaN in the files; their NaN value is the band mean (0 after the z-score).
 */
export function cardInput(preset: BandPreset, s1: S1Options = {}): Pick<ModelCard, 'inputChannels' | 'bands' | 'normalization'> {
  const s2Stats = preset.s2.map((i) => S2_STATS[i]);
  const s1Stats = preset.s1.map((i) => S1_STATS[i]);
  const s1Fill = (mean: number) => (s1.fillNaN === undefined ? S1_CLIP_DB[0] : s1.fillNaN === 'mean' ? mean : s1.fillNaN);
  const bands = channelNames(preset);
  return {
    inputChannels: bands.length,
    bands,
    normalization: {
      nanValue: [...s2Stats.map((s) => s.mean), ...s1Stats.map((s) => s1Fill(s.mean))],
      clip: [...s2Stats.map(() => null), ...s1Stats.map(() => [S1_CLIP_DB[0], S1_CLIP_DB[1]] as [number, number])],
      mean: [...s2Stats, ...s1Stats].map((s) => s.mean),
      std: [...s2Stats, ...s1Stats].map((s) => s.std),
    },
  };
}
