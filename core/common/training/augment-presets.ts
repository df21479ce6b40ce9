/**
 * The augmentations of MoCo views as data (core/sampler/augment.ts applies them): the research's
 * presets, so a form, a config and a card can say exactly what each view gets.
 */
export interface AugmentConfig {
  /** Random resized crop (MoCo-v2: scale 0.2..1, aspect 3/4..4/3); null = whole patch. */
  crop: { scale: [number, number]; ratio: [number, number] } | null;
  hflip: number;
  vflip: number;
  /** Gaussian blur with an odd kernel size drawn from `kernels` and sigma from `sigma`. */
  blur: { p: number; kernels: number[]; sigma: [number, number] } | null;
  /** x' = (x - mean_c) * contrast + mean_c + brightness, factors drawn per sample. */
  brightnessContrast: { p: number; brightness: number; contrast: number } | null;
  /** Every channel replaced by the channel mean (multispectral "grayscale"). */
  grayscale: { p: number } | null;
  /** Smooth random displacement field (alpha pixels at most), bilinear resampling. */
  elastic: { p: number; alpha: number; sigma: number } | null;
}

const NONE: AugmentConfig = { crop: null, hflip: 0, vflip: 0, blur: null, brightnessContrast: null, grayscale: null, elastic: null };
const SET1: AugmentConfig = { ...NONE, crop: { scale: [0.2, 1], ratio: [3 / 4, 4 / 3] }, hflip: 0.5, vflip: 0.5 };
const SET2: AugmentConfig = { ...SET1, blur: { p: 0.5, kernels: [3, 5, 7], sigma: [0.1, 2] } };
const SET3: AugmentConfig = {
  ...SET2,
  brightnessContrast: { p: 0.8, brightness: 0.2, contrast: 0.2 },
  grayscale: { p: 0.2 },
};

/** The research's presets: set 1 resized crop (+ flips), set 2 + blur, set 3 + jitter/grayscale. */
export const AUG_PRESETS = { none: NONE, 'aug-set-1': SET1, 'aug-set-2': SET2, 'aug-set-3': SET3 } as const;
export type AugPreset = keyof typeof AUG_PRESETS;

export function augmentConfig(preset: AugPreset, opts: { elastic?: boolean } = {}): AugmentConfig {
  const base = AUG_PRESETS[preset];
  return opts.elastic ? { ...base, elastic: { p: 0.5, alpha: 1, sigma: 50 } } : base;
}
