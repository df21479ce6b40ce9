/**
 * The messages between the job manager and a job worker process, one schema each. Both sides
 * check what they receive: the other end may be another build of the app, or a crashing process.
 */
import { schemaErrors, type JsonSchema } from '../common/util/json-schema.js';
import { JOB_KINDS, JOB_STATES, validateJobSpec, type JobInfo, type JobProgress } from '../common/jobs/job-spec.js';

export type ParentMessage =
  | { type: 'start'; job: JobInfo; /** Run directory to continue, or null for a new run. */ resume: string | null; runsDir: string }
  | { type: 'cancel' };

export type WorkerMessage =
  | { type: 'started'; runDir: string }
  | { type: 'progress'; progress: JobProgress }
  | { type: 'log'; line: string }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: string };

const text: JsonSchema = { type: 'string' };
const path: JsonSchema = { type: 'string', minLength: 1 };
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const count: JsonSchema = { type: 'integer', minimum: 0 };
const number: JsonSchema = { type: 'number' };

export const JOB_PROGRESS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['step', 'totalSteps', 'epoch', 'epochs', 'loss', 'lr', 'imagesPerSecond', 'etaSeconds'],
  additionalProperties: false,
  properties: {
    step: count,
    totalSteps: count,
    stopStep: count,
    epoch: count,
    epochs: count,
    loss: number,
    lr: number,
    imagesPerSecond: { type: 'number', minimum: 0 },
    etaSeconds: { type: 'number', minimum: 0 },
    validation: { type: 'object', additionalProperties: number },
  },
};

const JOB_INFO_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'spec', 'state', 'runDir', 'createdAt', 'startedAt', 'endedAt', 'error', 'progress', 'result'],
  additionalProperties: false,
  properties: {
    id: path,
    kind: { type: 'string', enum: JOB_KINDS },
    // checked by validateJobSpec, which names its fields
    spec: { type: 'object' },
    state: { type: 'string', enum: JOB_STATES },
    runDir: nullable(path),
    createdAt: text,
    startedAt: nullable(text),
    endedAt: nullable(text),
    error: nullable(text),
    progress: nullable(JOB_PROGRESS_SCHEMA),
    result: {},
  },
};

function message(type: string, fields: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', required: ['type', ...Object.keys(fields)], additionalProperties: false, properties: { type: { const: type }, ...fields } };
}

const PARENT_SCHEMAS: Record<ParentMessage['type'], JsonSchema> = {
  start: message('start', { job: JOB_INFO_SCHEMA, resume: nullable(path), runsDir: path }),
  cancel: message('cancel', {}),
};

const WORKER_SCHEMAS: Record<WorkerMessage['type'], JsonSchema> = {
  started: message('started', { runDir: path }),
  progress: message('progress', { progress: JOB_PROGRESS_SCHEMA }),
  log: message('log', { line: text }),
  done: message('done', { result: {} }),
  failed: message('failed', { error: text }),
};

function parse<T>(schemas: Record<string, JsonSchema>, value: unknown, from: string): T {
  const type = (value as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) {
    throw new Error(`malformed message from the ${from}: type must be one of ${Object.keys(schemas).join(', ')}, got ${JSON.stringify(type) ?? 'nothing'}`);
  }
  const errors = schemaErrors(schemas[type], value, type);
  if (errors.length > 0) throw new Error(`malformed message from the ${from}: ${errors.join('; ')}`);
  return value as T;
}

/** A message from the manager, checked (the job's spec included). */
export function parseParentMessage(value: unknown): ParentMessage {
  const msg = parse<ParentMessage>(PARENT_SCHEMAS, value, 'job manager');
  if (msg.type === 'start') {
    try {
      validateJobSpec(msg.job.spec);
    } catch (err) {
      throw new Error(`malformed message from the job manager: start.job: ${(err as Error).message}`);
    }
    if (msg.job.spec.kind !== msg.job.kind) throw new Error(`malformed message from the job manager: start.job.kind: "${msg.job.kind}" but the spec is a ${msg.job.spec.kind} spec`);
  }
  return msg;
}

/** A message from a worker, checked. */
export function parseWorkerMessage(value: unknown): WorkerMessage {
  return parse<WorkerMessage>(WORKER_SCHEMAS, value, 'job worker');
}
