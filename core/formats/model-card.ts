import { DatasetFileError } from '../common/util/file-error.js';
import { sha256 } from '../util/atomic-write.js';
import { schemaErrors, type JsonSchema } from '../common/util/json-schema.js';
import { readJsonFile } from '../util/json-file.js';
import { CHECKPOINT_REF_SCHEMA, type CheckpointRef } from '../common/runs/checkpoint-ref.js';
import { WEIGHT_PARTS, type WeightPartRole } from './export-files.js';
import { PREPROCESSING_SCHEMA, type PreprocessingStep } from './preprocessing.js';

/**
 * model-card.json, written beside an exported model: everything needed to use the weights
 * without this app (which network, which bands in which order, how to normalise them, what the
 * outputs mean) and to trace where they came from (training config, metrics, data splits).
 */
export interface ModelCard {
  format: 'sen12ms-studio.model-card';
  /** 2: model.safetensors holds the torchvision backbone only; input block and head have files of their own. */
  version: 2;
  createdAt: string;
  /** torchvision name of the backbone. */
  architecture: 'resnet10' | 'resnet18' | 'resnet34' | 'resnet50';
  inputChannels: number;
  /** Band of each input channel, in order, e.g. ["B2", ..., "B12", "VV", "VH"]. */
  bands: string[];
  /** Prefix of the input block the input goes through ("input.s2"), or null: straight to conv1. */
  inputBlock: string | null;
  /**
   * Per channel c, in order: a NaN reads as nanValue[c], then values are clipped to clip[c] (when
   * not null), then z-scored: (x - mean[c]) / std[c]. Raw units: S2 reflectance x 10000, S1 dB.
   */
  normalization: { nanValue: number[]; clip: ([number, number] | null)[]; mean: number[]; std: number[] };
  /** The whole function from the sensor files to the outputs, step by step (see preprocessing.ts). */
  preprocessing: PreprocessingStep[];
  /** features: pooled backbone features; multi-label: sigmoid(logit) >= threshold; single-label: arg-max. */
  task: 'features' | 'multi-label' | 'single-label';
  /** Output order of the classifier; empty for features. */
  classes: string[];
  threshold: number | null;
  /** The run checkpoint the weights are, and how the run's `best` is chosen (bestRule). */
  checkpoint: CheckpointRef;
  training: { kind: 'pretrain' | 'finetune'; bestRule: string; config: Record<string, unknown> };
  metrics: Record<string, number>;
  /** Per split: how many patches and splitDigest()'s SHA-256 of their sorted ids. */
  splits: Record<string, { count: number; sha256: string }>;
  /** model.safetensors, and the files of the parts torchvision's ResNet does not have. */
  weights: {
    file: string;
    format: 'safetensors';
    layout: 'pytorch';
    bytes: number;
    sha256: string;
    parts: { role: WeightPartRole; file: string; bytes: number; sha256: string }[];
  };
}

/** The card less its `weights`: what model.safetensors and model.onnx carry in their metadata. */
export type ModelCardBody = Omit<ModelCard, 'weights'>;

/** What the exporter's caller supplies; the exporter adds the rest (createdAt: now, unless given). */
export type ModelCardInput = Omit<ModelCardBody, 'format' | 'version' | 'createdAt' | 'preprocessing'> & { createdAt?: string };

const SHA256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const numbers = { type: 'array', items: { type: 'number' } } as const;

const BODY_REQUIRED = [
  'format', 'version', 'createdAt', 'architecture', 'inputChannels', 'bands', 'inputBlock', 'normalization', 'preprocessing',
  'task', 'classes', 'threshold', 'checkpoint', 'training', 'metrics', 'splits',
] as const;

const BODY_PROPERTIES = {
  format: { const: 'sen12ms-studio.model-card' },
  version: { const: 2 },
  createdAt: { type: 'string', minLength: 1 },
  architecture: { type: 'string', enum: ['resnet10', 'resnet18', 'resnet34', 'resnet50'] },
  inputChannels: { type: 'integer', minimum: 1 },
  bands: { type: 'array', items: { type: 'string', minLength: 1 } },
  inputBlock: { anyOf: [{ type: 'string', pattern: '^input\\.[a-z0-9]+$' }, { type: 'null' }] },
  normalization: {
    type: 'object',
    required: ['nanValue', 'clip', 'mean', 'std'],
    additionalProperties: false,
    properties: {
      nanValue: numbers,
      clip: { type: 'array', items: { anyOf: [{ type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 }, { type: 'null' }] } },
      mean: numbers,
      std: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } },
    },
  },
  preprocessing: PREPROCESSING_SCHEMA,
  task: { type: 'string', enum: ['features', 'multi-label', 'single-label'] },
  classes: { type: 'array', items: { type: 'string', minLength: 1 } },
  threshold: { anyOf: [{ type: 'number', exclusiveMinimum: 0 }, { type: 'null' }] },
  checkpoint: CHECKPOINT_REF_SCHEMA,
  training: {
    type: 'object',
    required: ['kind', 'bestRule', 'config'],
    additionalProperties: false,
    properties: {
      kind: { type: 'string', enum: ['pretrain', 'finetune'] },
      bestRule: { type: 'string', minLength: 1 },
      config: { type: 'object' },
    },
  },
  metrics: { type: 'object', additionalProperties: { type: 'number' } },
  splits: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['count', 'sha256'],
      additionalProperties: false,
      properties: { count: { type: 'integer', minimum: 0 }, sha256: SHA256 },
    },
  },
} as const satisfies Record<string, JsonSchema>;

const FILE_ENTRY = { file: { type: 'string', minLength: 1 }, bytes: { type: 'integer', minimum: 0 }, sha256: SHA256 } as const;

export const MODEL_CARD_BODY_SCHEMA = {
  type: 'object',
  required: BODY_REQUIRED,
  additionalProperties: false,
  properties: BODY_PROPERTIES,
} as const satisfies JsonSchema;

export const MODEL_CARD_SCHEMA = {
  type: 'object',
  required: [...BODY_REQUIRED, 'weights'],
  additionalProperties: false,
  properties: {
    ...BODY_PROPERTIES,
    weights: {
      type: 'object',
      required: ['file', 'format', 'layout', 'bytes', 'sha256', 'parts'],
      additionalProperties: false,
      properties: {
        ...FILE_ENTRY,
        format: { const: 'safetensors' },
        layout: { const: 'pytorch' },
        parts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['role', 'file', 'bytes', 'sha256'],
            additionalProperties: false,
            properties: { role: { type: 'string', enum: WEIGHT_PARTS.map((p) => p.role) }, ...FILE_ENTRY },
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** Checks a card against the schema and its fields against each other; `source` names it in errors. */
export function validateModelCard(value: unknown, source: string): ModelCard {
  return validate(MODEL_CARD_SCHEMA, value, source) as ModelCard;
}

/** The same checks for a card less its `weights` (what an exporter embeds in its files). */
export function validateModelCardBody(value: unknown, source: string): ModelCardBody {
  return validate(MODEL_CARD_BODY_SCHEMA, value, source);
}

function validate(schema: JsonSchema, value: unknown, source: string): ModelCardBody {
  const version = (value as { version?: unknown } | null)?.version;
  if (version === 1) {
    throw new DatasetFileError(source, 'a version 1 model card (its model.safetensors mixes the input block and head into the backbone): export the run again');
  }
  const errors = schemaErrors(schema, value);
  if (errors.length === 0) errors.push(...consistencyErrors(value as ModelCardBody));
  if (errors.length > 0) throw new DatasetFileError(source, `invalid model card: ${errors.join('; ')}`);
  return value as ModelCardBody;
}

function consistencyErrors(card: ModelCardBody): string[] {
  const errors: string[] = [];
  const channels = card.inputChannels;
  const perChannel: [string, unknown[]][] = [
    ['bands', card.bands],
    ['normalization.nanValue', card.normalization.nanValue],
    ['normalization.mean', card.normalization.mean],
    ['normalization.std', card.normalization.std],
    ['normalization.clip', card.normalization.clip],
  ];
  for (const [field, list] of perChannel) {
    if (list.length !== channels) errors.push(`${field}: has ${list.length} entries for ${channels} input channels`);
  }
  card.normalization.clip.forEach((range, c) => {
    if (range && !(range[0] < range[1])) errors.push(`normalization.clip[${c}]: [${range}] is not a range low < high`);
  });
  if (new Set(card.bands).size !== card.bands.length) errors.push(`bands: repeated band in [${card.bands}]`);
  if (card.task === 'features' && card.classes.length > 0) errors.push('classes: a features model has no classes');
  if (card.task !== 'features' && card.classes.length === 0) errors.push(`classes: a ${card.task} model needs its class names`);
  if ((card.task === 'multi-label') !== (card.threshold !== null)) {
    errors.push('threshold: a multi-label model needs one, other tasks must have null');
  }
  return errors;
}

/**
 * Identifies a set of patches: the SHA-256 of their ids sorted by code unit and joined with "\n"
 * (no trailing newline), so the same split gives the same digest in any tool.
 */
export function splitDigest(ids: Iterable<string>): { count: number; sha256: string } {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { count: sorted.length, sha256: sha256(sorted.join('\n')) };
}

export async function readModelCard(path: string): Promise<ModelCard> {
  const parsed = await readJsonFile(path);
  if (parsed === null) throw new DatasetFileError(path, 'no model card: not an exported model directory');
  return validateModelCard(parsed, path);
}
