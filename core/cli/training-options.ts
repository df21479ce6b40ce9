import { initBackend, type BackendInfo } from '../backend/select.js';
import { type BackendChoice } from '../common/training/backends.js';
import type { PatchSelection } from '../common/sampler/selection-spec.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseSubsetText } from '../sampler/subset-text.js';
import { validateRunConfig } from '../runs/run-config.js';
import { type RunKind } from '../common/runs/checkpoint-ref.js';
import type { ResumeRun } from '../runs/resume.js';
import { asUsageError, UsageError } from './args.js';

/**
 * Command-line pieces shared by the training commands: the backend flag, subset syntax and what
 * a call starts from (a new run, a recorded config, a run to resume).
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
  'keep-checkpoints': { type: 'string' },
  'max-steps': { type: 'string' },
  runs: { type: 'string' },
  resume: { type: 'string' },
  restart: { type: 'boolean' },
  config: { type: 'string' },
  seed: { type: 'string' },
  ...BACKEND_OPTION,
} as const;

/** Options that only say how this call runs; every other option shapes the run itself. */
const CALL_OPTIONS = ['max-steps', 'runs', 'resume', 'restart', 'config', 'backend'];

/**
 * `--resume <run>` continues a run with its own settings and `--config <config.json>` starts a
 * new run with a recorded run's settings: neither takes a catalog or a run-shaping option.
 * Returns which of the three ways this call starts.
 */
export function runSource(values: Record<string, unknown>, positionals: string[]): 'new' | 'resume' | 'config' {
  if (values.restart && !values.resume) throw new UsageError('--restart applies to --resume <run-dir> only');
  if (values.resume && values.config) throw new UsageError('give --resume <run-dir> or --config <config.json>, not both');
  const from = values.resume ? '--resume continues a run' : values.config ? '--config re-runs a recorded config' : null;
  if (from === null) {
    if (positionals.length !== 1) throw new UsageError(`expected one catalog file (or --resume <run-dir>, or --config <config.json>), got ${positionals.length} arguments`);
    return 'new';
  }
  const given = Object.keys(values).filter((k) => values[k] !== undefined && !CALL_OPTIONS.includes(k));
  if (positionals.length > 0 || given.length > 0) {
    throw new UsageError(`${from} with its own settings; drop ${[...positionals, ...given.map((k) => `--${k}`)].join(', ')}`);
  }
  return values.resume ? 'resume' : 'config';
}

/**
 * What a training command runs, by runSource's answer: the run to resume, a recorded config run
 * again (`recorded` resolves its trainer settings), or a new run's config (`fresh`). A config
 * either refuses is a usage error.
 */
export async function trainingStart<C>(
  from: ReturnType<typeof runSource>,
  values: { resume?: string; restart?: boolean; config?: string },
  kind: RunKind,
  recorded: (trainer: Record<string, unknown>) => C,
  fresh: () => C,
): Promise<C | ResumeRun> {
  if (from === 'resume') return { resume: resolve(values.resume!), restart: values.restart };
  if (from === 'new') return asUsageError(fresh);
  const trainer = await recordedTrainer(resolve(values.config!), kind);
  return asUsageError(() => recorded(trainer));
}

/** The trainer settings of a recorded run's config.json, for a new run of the same `kind`. */
async function recordedTrainer(path: string, kind: RunKind): Promise<Record<string, unknown>> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`--config: cannot read ${path}: ${err.code ?? err.message}`);
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--config: ${path} is not JSON: ${(err as Error).message}`);
  }
  const config = validateRunConfig(parsed, path);
  if (config.kind !== kind) throw new UsageError(`--config: ${path} is a ${config.kind} run's config, not a ${kind} run's`);
  return config.trainer;
}

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
