import { initBackend, type BackendChoice, type BackendInfo } from '../backend/select.js';
import type { PatchSelection } from '../sampler/selection.js';
import { parseSubsetText } from '../sampler/subset-text.js';
import { UsageError } from './args.js';

/**
 * Command-line pieces shared by the training commands: the backend flag, subset syntax and
 * the defaults that depend on the hardware found.
 */
export const BACKEND_OPTION = { backend: { type: 'string' } } as const;

/** Options every training command (pretrain, finetune) takes, with the same meaning. */
export const RUN_OPTIONS = {
  depth: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  size: { type: 'string' },
  'val-fraction': { type: 'string' },
  'checkpoint-every': { type: 'string' },
  'max-steps': { type: 'string' },
  runs: { type: 'string' },
  resume: { type: 'string' },
  seed: { type: 'string' },
  ...BACKEND_OPTION,
} as const;

export async function trainingBackend(prefer: string | undefined): Promise<BackendInfo> {
  const choices: BackendChoice[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];
  if (prefer !== undefined && !choices.includes(prefer as BackendChoice)) {
    throw new UsageError(`--backend must be one of ${choices.join(', ')}, got "${prefer}"`);
  }
  return initBackend({ purpose: 'train', prefer: prefer as BackendChoice | undefined });
}

/** `--subset`, in the syntax of parseSubsetText. */
export function parseSubset(text: string | undefined): PatchSelection['subset'] {
  try {
    return parseSubsetText(text);
  } catch (err) {
    throw new UsageError(`--subset: ${(err as Error).message}`);
  }
}

export function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${value}"`);
  return n;
}

export function integerOption(value: string | undefined, name: string): number | undefined {
  const n = numberOption(value, name);
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  return n;
}
