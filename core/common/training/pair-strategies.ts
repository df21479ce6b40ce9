/** How MoCo's positive pairs are made (core/sampler/pairs.ts makes them): the strategies and what each view is. */
import { AUG_PRESETS, type AugmentConfig } from './augment-presets.js';

export const PAIR_STRATEGIES = [
  'augment',
  'sensor-pairs',
  'sensor-pairs+augment',
  'all-fusion',
  'partial-fusion',
  'optional-fusion',
] as const;
export type PairStrategy = (typeof PAIR_STRATEGIES)[number];

/** The research's names for the pair strategies, in the order the UI lists them. */
export const STRATEGY_TITLES: Record<PairStrategy, string> = {
  'sensor-pairs': 'Sensor pairs: S1/S2 of one place',
  'sensor-pairs+augment': 'Sensor pairs + augmentation',
  augment: 'Augmentation only',
  'all-fusion': 'All fusion',
  'partial-fusion': 'Partial fusion',
  'optional-fusion': 'Optional fusion',
};

/** Fusion strategies feed the 12-channel S2+S1 stack to the backbone; the others pair sensors or views. */
export function isFusionStrategy(strategy: PairStrategy): boolean {
  return strategy.endsWith('fusion');
}

/** Which input a view feeds: a sensor's own bands (through its 1x1 block) or the 12-channel fusion. */
export type ViewInput = 's1' | 's2' | 'fusion';

export interface PairOptions {
  strategy: PairStrategy;
  augment: AugmentConfig;
  outSize: number;
  /** For `augment`: which input both views come from. */
  sensor?: ViewInput;
  /**
   * Sensor pairs through per-sensor 1x1 input blocks (the research's set-up). Without blocks both
   * sensors are zero-filled into the 12-channel fusion layout so one backbone accepts either.
   */
  inputBlocks?: boolean;
}

const NO_AUG: AugmentConfig = AUG_PRESETS.none;

/**
 * The augmentation each view really gets. `sensor-pairs` applies none: the other sensor is the
 * view. Every other strategy augments both views with the run's preset.
 */
export function viewAugment(strategy: PairStrategy, augment: AugmentConfig): AugmentConfig {
  return strategy === 'sensor-pairs' ? NO_AUG : augment;
}

/** What the query or key views of a strategy are made of, as written into a run's config. */
export interface ViewRecord {
  inputs: string;
  augment: AugmentConfig;
}

/** The query and key views a strategy makes (the rule pairsOf follows, in words and settings). */
export function describeViews(opts: PairOptions): { q: ViewRecord; k: ViewRecord } {
  const augment = viewAugment(opts.strategy, opts.augment);
  const stack = 'S2 10 bands + S1 VV, VH stacked (12 channels)';
  const via = (sensor: string) => (opts.inputBlocks === false ? `${sensor} zero-filled into the 12-channel stack` : `${sensor} through its 1x1 input block`);
  const both = (inputs: string) => ({ q: { inputs, augment }, k: { inputs, augment } });
  switch (opts.strategy) {
    case 'augment': {
      const input = opts.sensor ?? 's2';
      return both(input === 'fusion' ? stack : via(input));
    }
    case 'sensor-pairs':
    case 'sensor-pairs+augment':
      return {
        q: { inputs: `${via('s2')} for the first half of the batch, ${via('s1')} for the second`, augment },
        k: { inputs: `the same patches' other sensor: ${via('s1')} for the first half, ${via('s2')} for the second`, augment },
      };
    case 'all-fusion':
      return both(stack);
    case 'partial-fusion':
      return both(`${stack}; per sample S1 only, S2 only or both (the missing sensor zero-filled), in equal shares, the same for both views`);
    case 'optional-fusion':
      return both(`${stack}; per sample and view independently both sensors, S2 only or S1 only (the missing one zero-filled)`);
  }
}
