import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import { DatasetFileError } from '../common/util/file-error.js';
import { fromSafetensor, readTensor, toSafetensor, type HostTensor } from '../formats/host-tensor.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from '../formats/safetensors.js';
import { sha256, writeFileAtomic } from '../util/atomic-write.js';
import { EXTRA_PREFIX, MODEL_PREFIX, OPTIMIZER_PREFIX, checkpointMetadata, parseCheckpointMetadata, tensorDigest, type CheckpointState } from './checkpoint-format.js';
import { type CheckpointKind } from '../common/runs/checkpoint-ref.js';
import { readCheckpointIndex, scanCheckpointFiles, writeCheckpointIndex, type CheckpointEntry } from './checkpoint-index.js';
import { RUN_FILES } from './run-dir.js';
import { checkpointsToPrune } from './checkpoint-policy.js';
import { appendLog } from './run-log.js';

/** A live tfjs tensor, or values already on the host (e.g. read from worker threads). */
export type CheckpointTensor = Tensor | HostTensor;

export interface CheckpointTensors {
  /** The model's parameters and buffers (a ParamStore fits). */
  model: ReadonlyMap<string, CheckpointTensor>;
  /** Optimizer slots: slot name (e.g. "momentum") to parameter name to tensor. */
  optimizer?: ReadonlyMap<string, ReadonlyMap<string, CheckpointTensor>>;
  /** Other tensors the run needs to continue (MoCo queue, key encoder...). */
  extra?: ReadonlyMap<string, CheckpointTensor>;
}

export interface LoadedCheckpoint {
  path: string;
  kind: CheckpointKind;
  createdAt: string;
  state: CheckpointState;
  model: Map<string, HostTensor>;
  optimizer: Map<string, Map<string, HostTensor>>;
  extra: Map<string, HostTensor>;
}

export interface SaveOptions {
  /**
   * Keep `last`, `best` and this many older periodic checkpoints (checkpoint-policy.ts); older
   * ones are deleted once the new file reads back verified (default: keep all).
   */
  keepCheckpoints?: number;
}

const SLOT_NAME = /^[A-Za-z0-9_-]+$/;

type Logger = (line: string) => void | Promise<void>;

const runLog = (runDir: string): Logger => (line) => appendLog(runDir, line);

/** `step-000120` for periodic checkpoints; `cancel` and `best` are replaced each time. */
function checkpointFileName(kind: CheckpointKind, step: number): string {
  return kind === 'periodic' ? `step-${String(step).padStart(6, '0')}.safetensors` : `${kind}.safetensors`;
}

/** Writes one checkpoint file atomically, then records it in checkpoints/index.json. */
export async function saveCheckpoint(
  runDir: string,
  kind: CheckpointKind,
  state: CheckpointState,
  tensors: CheckpointTensors,
  options: SaveOptions = {},
): Promise<CheckpointEntry> {
  const dir = join(runDir, RUN_FILES.checkpoints);
  await mkdir(dir, { recursive: true });
  const stored = await toStoredTensors(tensors);
  const tensorSha256 = tensorDigest(stored);
  const createdAt = new Date().toISOString();
  const metadata = checkpointMetadata({ kind, state, tensorSha256, createdAt });
  const file = checkpointFileName(kind, state.step);
  // Never write a checkpoint that loading would refuse (a fractional step, a bad RNG state...).
  parseCheckpointMetadata(metadata, file);
  const bytes = encodeSafetensors(stored, metadata);
  await writeFileAtomic(join(dir, file), bytes);

  const entry: CheckpointEntry = { file, kind, step: state.step, epoch: state.epoch, sha256: sha256(bytes), tensorSha256, bytes: bytes.byteLength, createdAt };
  const others = (await indexOrScan(dir, runLog(runDir))).filter((e) => e.file !== file);
  const entries = [...others, entry];
  await writeCheckpointIndex(dir, entries);
  if (options.keepCheckpoints === undefined || kind !== 'periodic') return entry;
  const dropped = checkpointsToPrune(entries, options.keepCheckpoints);
  if (dropped.length === 0) return entry;
  // Nothing older goes before the newer file reads back with the bytes just hashed (the tensor
  // digest inside came from the same bytes): a bad write never costs the run its resume points.
  await readVerified(join(dir, file), entry.sha256);
  await writeCheckpointIndex(dir, entries.filter((e) => !dropped.includes(e)));
  // Files go only after the index no longer lists them, so the index never names a missing file;
  // a crash in between leaves a file the next save finds unindexed and prunes.
  for (const e of dropped) await rm(join(dir, e.file), { force: true });
  return entry;
}

/**
 * Reads a checkpoint and verifies it: the structure, the tensor checksum recorded inside, and,
 * when given (from the index), the checksum of the whole file. A damaged file is refused with a
 * DatasetFileError naming it.
 */
export async function loadCheckpoint(path: string, expectedFileSha256?: string): Promise<LoadedCheckpoint> {
  const bytes = await readVerified(path, expectedFileSha256);
  const { tensors, metadata } = decodeSafetensors(bytes, path);
  const header = parseCheckpointMetadata(metadata, path);
  const actual = tensorDigest(tensors);
  if (actual !== header.tensorSha256) {
    throw new DatasetFileError(path, `corrupt checkpoint: tensor SHA-256 ${actual} differs from ${header.tensorSha256} recorded in the file`);
  }
  return { path, kind: header.kind, createdAt: header.createdAt, state: header.state, ...groupTensors(tensors, path) };
}

/** A checkpoint file's bytes, checked against the SHA-256 the index records when one is given. */
async function readVerified(path: string, expectedFileSha256?: string): Promise<Buffer> {
  const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
    throw new DatasetFileError(path, `cannot read checkpoint: ${err.code ?? err.message}`);
  });
  if (expectedFileSha256 !== undefined) {
    const actual = sha256(bytes);
    if (actual !== expectedFileSha256) {
      throw new DatasetFileError(path, `corrupt checkpoint: file SHA-256 ${actual} differs from ${expectedFileSha256} recorded in the index`);
    }
  }
  return bytes;
}

/**
 * The newest checkpoint of a run that verifies, for resuming: by step, then by time written.
 * Damaged or missing files are skipped and noted through `log` (default: the run's log.txt).
 * Null when the run has no usable checkpoint.
 */
export async function latestCheckpoint(
  runDir: string,
  log: Logger = runLog(runDir),
): Promise<LoadedCheckpoint | null> {
  const dir = join(runDir, RUN_FILES.checkpoints);
  const candidates = await indexOrScan(dir, log);
  candidates.sort((a, b) => b.step - a.step || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  for (const entry of candidates) {
    try {
      return await loadCheckpoint(join(dir, entry.file), entry.sha256);
    } catch (err) {
      if (!(err instanceof DatasetFileError)) throw err;
      await log(`skipping checkpoint ${entry.file}: ${err.message}`);
    }
  }
  return null;
}

/** Every checkpoint a run lists (index.json plus files it misses), unverified; see indexOrScan. */
export async function readCheckpoints(runDir: string, log: Logger = runLog(runDir)): Promise<CheckpointEntry[]> {
  return indexOrScan(join(runDir, RUN_FILES.checkpoints), log);
}

/**
 * The index entries plus any checkpoint file the index misses (a crash between writing a file
 * and indexing it); the files themselves when the index is damaged.
 */
async function indexOrScan(dir: string, log: Logger): Promise<CheckpointEntry[]> {
  const skip = (file: string, reason: string) => log(`skipping checkpoint ${file}: ${reason}`);
  let indexed: CheckpointEntry[];
  try {
    indexed = await readCheckpointIndex(dir);
  } catch (err) {
    if (!(err instanceof DatasetFileError)) throw err;
    await log(`rebuilding the checkpoint list from the files: ${err.message}`);
    return scanCheckpointFiles(dir, skip);
  }
  const known = new Set(indexed.map((e) => e.file));
  const unindexed = await scanCheckpointFiles(dir, skip, (file) => !known.has(file));
  return [...indexed, ...unindexed];
}

async function toStoredTensors(tensors: CheckpointTensors): Promise<SafetensorsTensor[]> {
  const stored: SafetensorsTensor[] = [];
  const add = async (prefix: string, group: ReadonlyMap<string, CheckpointTensor>) => {
    for (const [name, t] of group) stored.push(toSafetensor(prefix + name, isHostTensor(t) ? t : await readTensor(t)));
  };
  await add(MODEL_PREFIX, tensors.model);
  for (const [slot, group] of tensors.optimizer ?? []) {
    if (!SLOT_NAME.test(slot)) throw new Error(`optimizer slot name "${slot}" must be letters, digits, "_" or "-"`);
    await add(`${OPTIMIZER_PREFIX}${slot}.`, group);
  }
  await add(EXTRA_PREFIX, tensors.extra ?? new Map());
  return stored;
}

function isHostTensor(t: CheckpointTensor): t is HostTensor {
  return ArrayBuffer.isView((t as HostTensor).values);
}

function groupTensors(tensors: readonly SafetensorsTensor[], source: string): Pick<LoadedCheckpoint, 'model' | 'optimizer' | 'extra'> {
  const model = new Map<string, HostTensor>();
  const optimizer = new Map<string, Map<string, HostTensor>>();
  const extra = new Map<string, HostTensor>();
  for (const t of tensors) {
    const host = fromSafetensor(t, source);
    if (t.name.startsWith(MODEL_PREFIX)) {
      model.set(t.name.slice(MODEL_PREFIX.length), host);
    } else if (t.name.startsWith(EXTRA_PREFIX)) {
      extra.set(t.name.slice(EXTRA_PREFIX.length), host);
    } else if (t.name.startsWith(OPTIMIZER_PREFIX) && t.name.indexOf('.', OPTIMIZER_PREFIX.length) > 0) {
      const dot = t.name.indexOf('.', OPTIMIZER_PREFIX.length);
      const slot = t.name.slice(OPTIMIZER_PREFIX.length, dot);
      if (!optimizer.has(slot)) optimizer.set(slot, new Map());
      optimizer.get(slot)!.set(t.name.slice(dot + 1), host);
    } else {
      throw new DatasetFileError(source, `not a valid checkpoint: tensor "${t.name}" is in no known group (model., optim.<slot>., extra.)`);
    }
  }
  return { model, optimizer, extra };
}
