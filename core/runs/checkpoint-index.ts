import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetFileError } from '../common/util/file-error.js';
import { decodeSafetensorsHeader, safetensorsHeaderEnd } from '../formats/safetensors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { schemaErrors, type JsonSchema } from '../common/util/json-schema.js';
import { parseCheckpointMetadata } from './checkpoint-format.js';
import { type CheckpointKind } from '../common/runs/checkpoint-ref.js';
import { readJsonFile } from '../util/json-file.js';

/** One checkpoint as `checkpoints/index.json` lists it. */
export interface CheckpointEntry {
  /** File name inside checkpoints/. */
  file: string;
  kind: CheckpointKind;
  step: number;
  epoch: number;
  /** SHA-256 of the whole file. */
  sha256: string;
  /** SHA-256 of the tensors (names, shapes, bytes), also recorded inside the file. */
  tensorSha256: string;
  bytes: number;
  createdAt: string;
}

const INDEX_FILE = 'index.json';
const FORMAT = 'sen12ms-studio.checkpoint-index';
const SHA256_PATTERN = '^[0-9a-f]{64}$';

const ENTRY_SCHEMA = {
  type: 'object',
  required: ['file', 'kind', 'step', 'epoch', 'sha256', 'tensorSha256', 'bytes', 'createdAt'],
  additionalProperties: false,
  properties: {
    file: { type: 'string', pattern: '^[A-Za-z0-9_-][A-Za-z0-9._-]*\\.safetensors$' },
    kind: { type: 'string', enum: ['periodic', 'cancel', 'best'] },
    step: { type: 'integer', minimum: 0 },
    epoch: { type: 'integer', minimum: 0 },
    sha256: { type: 'string', pattern: SHA256_PATTERN },
    tensorSha256: { type: 'string', pattern: SHA256_PATTERN },
    bytes: { type: 'integer', minimum: 0 },
    createdAt: { type: 'string', minLength: 1 },
  },
} as const satisfies JsonSchema;

export const CHECKPOINT_INDEX_SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'checkpoints'],
  additionalProperties: false,
  properties: {
    format: { const: FORMAT },
    version: { const: 1 },
    checkpoints: { type: 'array', items: ENTRY_SCHEMA },
  },
} as const satisfies JsonSchema;

/** The entries of checkpoints/index.json; none when it does not exist yet. */
export async function readCheckpointIndex(checkpointsDir: string): Promise<CheckpointEntry[]> {
  const path = join(checkpointsDir, INDEX_FILE);
  const parsed = await readJsonFile(path);
  if (parsed === null) return [];
  const errors = schemaErrors(CHECKPOINT_INDEX_SCHEMA, parsed);
  if (errors.length > 0) throw new DatasetFileError(path, `invalid checkpoint index: ${errors.join('; ')}`);
  return (parsed as { checkpoints: CheckpointEntry[] }).checkpoints;
}

export async function writeCheckpointIndex(checkpointsDir: string, entries: readonly CheckpointEntry[]): Promise<void> {
  const sorted = [...entries].sort((a, b) => a.step - b.step || (a.file < b.file ? -1 : 1));
  const body = { format: FORMAT, version: 1, checkpoints: sorted };
  await writeFileAtomic(join(checkpointsDir, INDEX_FILE), JSON.stringify(body, null, 2) + '\n');
}

/**
 * Rebuilds index entries from the checkpoint files themselves, for when index.json is lost or
 * damaged, or a crash came between writing a checkpoint and indexing it (`include` picks the
 * files to look at). Files whose header cannot be read are reported through `skip` and left out.
 */
export async function scanCheckpointFiles(
  checkpointsDir: string,
  skip: (file: string, reason: string) => void | Promise<void>,
  include: (file: string) => boolean = () => true,
): Promise<CheckpointEntry[]> {
  const names = await readdir(checkpointsDir).catch(() => [] as string[]);
  const entries: CheckpointEntry[] = [];
  const files = names.filter((n) => n.endsWith('.safetensors') && !n.startsWith('.') && include(n));
  for (const file of files.sort()) {
    const path = join(checkpointsDir, file);
    try {
      const header = parseCheckpointMetadata(await readHeaderMetadata(path), path);
      entries.push({
        file,
        kind: header.kind,
        step: header.state.step,
        epoch: header.state.epoch,
        sha256: await hashFile(path),
        tensorSha256: header.tensorSha256,
        bytes: (await stat(path)).size,
        createdAt: header.createdAt,
      });
    } catch (err) {
      await skip(file, (err as Error).message);
    }
  }
  return entries;
}

// Only the header: checkpoints can be hundreds of MB and a scan only needs their metadata.
async function readHeaderMetadata(path: string): Promise<Record<string, string>> {
  const file = await open(path, 'r');
  try {
    const prefix = new Uint8Array(8);
    const { bytesRead: prefixRead } = await file.read(prefix, 0, 8, 0);
    const end = safetensorsHeaderEnd(prefix.subarray(0, prefixRead), path);
    const head = new Uint8Array(end);
    const { bytesRead } = await file.read(head, 0, end, 0);
    return decodeSafetensorsHeader(head.subarray(0, bytesRead), path).metadata;
  } finally {
    await file.close();
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
