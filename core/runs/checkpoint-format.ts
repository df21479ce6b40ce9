import { DatasetFileError } from '../common/util/file-error.js';
import type { SafetensorsTensor } from '../formats/safetensors.js';
import { sha256 } from '../util/atomic-write.js';
import type { CheckpointKind } from '../common/runs/checkpoint-ref.js';
import type { RngState } from '../util/rng.js';

/**
 * What a checkpoint file holds besides tensors, in the safetensors `__metadata__` (string to
 * string, so structured values are JSON text). Tensor names are grouped by prefix:
 * `model.<param>`, `optim.<slot>.<param>`, `extra.<name>` (MoCo queue, key encoder, ...).
 */

export interface CheckpointState {
  /** Optimizer steps completed. */
  step: number;
  /** Epochs completed. */
  epoch: number;
  rng: RngState;
  /** Where the data order stands, in the trainer's own JSON terms (seed, permutation position...). */
  dataOrder: unknown;
  /** configHash() of the run config, so a resume can refuse a checkpoint of another config. */
  configHash: string;
  /** Other small JSON state the trainer restores (best score so far, queue pointer...). */
  extra?: Record<string, unknown>;
}

export interface CheckpointHeader {
  kind: CheckpointKind;
  state: CheckpointState;
  tensorSha256: string;
  createdAt: string;
}

const FORMAT = 'sen12ms-studio.checkpoint';
const KINDS: readonly string[] = ['periodic', 'cancel', 'best'];
export const MODEL_PREFIX = 'model.';
export const OPTIMIZER_PREFIX = 'optim.';
export const EXTRA_PREFIX = 'extra.';

export function checkpointMetadata(header: CheckpointHeader): Record<string, string> {
  const { kind, state, tensorSha256, createdAt } = header;
  return {
    format: FORMAT,
    version: '1',
    kind,
    step: String(state.step),
    epoch: String(state.epoch),
    rng: JSON.stringify(state.rng),
    data_order: JSON.stringify(state.dataOrder ?? null),
    config_hash: state.configHash,
    state: JSON.stringify(state.extra ?? {}),
    created_at: createdAt,
    tensor_sha256: tensorSha256,
  };
}

/** Reads and checks the metadata of a checkpoint file; `source` names the file in errors. */
export function parseCheckpointMetadata(meta: Record<string, string>, source: string): CheckpointHeader {
  const fail = (reason: string): never => {
    throw new DatasetFileError(source, `not a valid checkpoint: ${reason}`);
  };
  if (meta.format !== FORMAT) fail(`metadata format is ${JSON.stringify(meta.format)}, expected "${FORMAT}"`);
  if (meta.version !== '1') fail(`unsupported checkpoint version ${JSON.stringify(meta.version)}`);
  if (!KINDS.includes(meta.kind)) fail(`metadata kind ${JSON.stringify(meta.kind)} is not one of ${KINDS.join(', ')}`);
  const count = (key: string): number => {
    const n = Number(meta[key]);
    return /^\d+$/.test(meta[key] ?? '') && Number.isSafeInteger(n) ? n : fail(`metadata ${key} ${JSON.stringify(meta[key])} is not a count`);
  };
  const json = (key: string): unknown => {
    try {
      return JSON.parse(meta[key] ?? '');
    } catch {
      return fail(`metadata ${key} is not JSON`);
    }
  };
  const rng = json('rng');
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)) {
    fail('metadata rng is not four uint32s');
  }
  const extra = json('state');
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) fail('metadata state is not a JSON object');
  if (!/^[0-9a-f]{64}$/.test(meta.tensor_sha256 ?? '')) fail('metadata tensor_sha256 is missing or not a SHA-256');
  if (typeof meta.config_hash !== 'string') fail('metadata config_hash is missing');
  if (!meta.created_at) fail('metadata created_at is missing');
  return {
    kind: meta.kind as CheckpointKind,
    state: {
      step: count('step'),
      epoch: count('epoch'),
      rng: rng as RngState,
      dataOrder: json('data_order'),
      configHash: meta.config_hash,
      extra: extra as Record<string, unknown>,
    },
    tensorSha256: meta.tensor_sha256,
    createdAt: meta.created_at,
  };
}

/**
 * SHA-256 over every tensor's name, dtype, shape and bytes in name order: independent of where
 * the writer placed each tensor, so it can be recorded inside the very file it checks.
 */
export function tensorDigest(tensors: readonly SafetensorsTensor[]): string {
  const parts: (string | Uint8Array)[] = [];
  for (const t of [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    parts.push(`${t.name}\0${t.dtype}\0${t.shape.join(',')}\0`, t.data);
  }
  return sha256(...parts);
}
