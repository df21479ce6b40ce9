import { DatasetFileError } from '../common/util/file-error.js';
import { sha256 } from '../util/atomic-write.js';
import type { RunKind } from '../common/runs/checkpoint-ref.js';
import { schemaErrors, type JsonSchema } from '../common/util/json-schema.js';


/**
 * What a run was asked to do, stored as `config.json` in its directory. The trainer's options are
 * opaque here: the trainer validates its own; a run directory only needs to know what kind of run
 * it is, how to reproduce it (seed) and, for finetuning, where its start weights came from.
 */
export interface RunConfig {
  format: 'sen12ms-studio.run-config';
  version: 1;
  kind: RunKind;
  /** ISO 8601 time the run was created. */
  createdAt: string;
  seed: number;
  name?: string;
  /** Checkpoint or exported model a finetune run starts from (absent: from scratch). */
  init?: string;
  trainer: Record<string, unknown>;
}

export type RunConfigInput = Omit<RunConfig, 'format' | 'version' | 'createdAt'>;

export const RUN_CONFIG_SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'kind', 'createdAt', 'seed', 'trainer'],
  additionalProperties: false,
  properties: {
    format: { const: 'sen12ms-studio.run-config' },
    version: { const: 1 },
    kind: { type: 'string', enum: ['pretrain', 'finetune'] },
    createdAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    name: { type: 'string', minLength: 1 },
    init: { type: 'string', minLength: 1 },
    trainer: { type: 'object', description: 'trainer options, validated by the trainer' },
  },
} as const satisfies JsonSchema;

/** Checks a parsed config.json; `source` names the file in the error. */
export function validateRunConfig(value: unknown, source: string): RunConfig {
  const errors = schemaErrors(RUN_CONFIG_SCHEMA, value);
  if (errors.length > 0) throw new DatasetFileError(source, `invalid run config: ${errors.join('; ')}`);
  return value as RunConfig;
}

/**
 * A fingerprint of the config, stored in every checkpoint so a resume can tell that it continues
 * the same run. Keys are sorted so the hash does not depend on the order options were written in.
 */
export function configHash(config: RunConfig): string {
  return sha256(canonicalJson(config));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
