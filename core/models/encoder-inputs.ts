import { pretrainBlocks, type PretrainConfig } from '../common/training/pretrain-config.js';
import type { EncoderConfig } from './encoder.js';

/** The encoder inputs a pretraining config implies: per-sensor blocks or 12 raw channels. */
export function encoderInputs(config: PretrainConfig): Pick<EncoderConfig, 'inputBlocks' | 'inChannels' | 'freezeInputBlocks'> {
  const blocks = pretrainBlocks(config);
  return blocks.length === 0 ? { inChannels: 12 } : { inputBlocks: blocks, freezeInputBlocks: config.freezeInputBlocks };
}
