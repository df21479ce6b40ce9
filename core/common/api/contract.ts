/**
 * The app's service API: one contract for every transport (in-process, Electron IPC, HTTP and
 * WebSocket). Each method has a params type and a JSON Schema that is checked where a call
 * enters (ServiceError 'invalid-params' naming the field); results and events are typed here so
 * a client cannot tell which transport it is on. Type-only imports keep this file loadable by
 * the renderer's bundler.
 */
import type { AnnotationChange, AnnotationRegion, AppliedChange, PatchAnnotation } from '../annotations/annotation-changes.js';
import type { AnnotationsFeatureCollection } from '../annotations/feature-collection.js';
import type { Settings } from './settings.js';
import type { JobEstimate } from '../training/estimate.js';
import type { CatalogQuery, Bbox } from '../catalog/query-spec.js';
import type { ClassCount, PatchDetail, PatchFootprint, PatchSummary, ProblemPage, QueryPage } from '../catalog/patch-types.js';
import type { EvaluateJobOptions, ExportJobOptions, FinetuneJobOptions, JobInfo, JobKind, JobProgress, PretrainJobOptions } from '../jobs/job-spec.js';
import type { CompositeName, LegendEntry, PreviewName } from '../preview/composites.js';
import type { ColourBar } from '../preview/render.js';
import type { CheckpointKind, CheckpointRef, CheckpointSelector, RunKind } from '../runs/checkpoint-ref.js';
import type { EvaluationResult } from '../inference/evaluation.js';
import type { HeadlineMetric } from '../metrics/report-types.js';

// Clients import every type of the API from here.
export type { AnnotationChange, AnnotationRegion, PatchAnnotation, AppliedChange, AnnotationsFeatureCollection, Settings };
export type { CatalogQuery, Bbox, ClassCount, PatchDetail, PatchFootprint, PatchSummary, QueryPage };
export type { JobInfo, JobKind, JobProgress, CompositeName, LegendEntry, EvaluationResult, PreviewName, ColourBar };
export type { CheckpointKind, CheckpointRef, CheckpointSelector, RunKind };

export const API_VERSION = 1;

/** A data set the user opened; `id` is stable for its folder (a digest of the absolute path). */
export interface DatasetInfo {
  id: string;
  dir: string;
  name: string;
  catalog: string;
  /** Patches with all three sensors good; patches catalogued (incl. those without S1); problem rows. */
  triplets: number;
  patches: number;
  problems: number;
  /** Bounding box of every footprint; null for an empty catalog. */
  bbox: Bbox | null;
  /** The embedded sample the app generated (so the UI can say so). */
  sample: boolean;
}

/**
 * What `jobs.start` is asked for: a job spec without its catalog (the data set's). An evaluation
 * may group `by: 'regions'`, the regions drawn on the data set, and always keeps its per-patch
 * predictions where the service chooses.
 */
export type JobRequest =
  | { kind: 'pretrain'; options: PretrainJobOptions }
  | { kind: 'finetune'; options: FinetuneJobOptions }
  | { kind: 'evaluate'; options: Omit<EvaluateJobOptions, 'by' | 'predictions'> & { by?: EvaluateJobOptions['by'] | 'regions' } }
  | { kind: 'export'; options: ExportJobOptions };

/** Which patches the annotation filter keeps. */
export type AnnotationFilter = 'annotated' | 'unannotated' | 'noisy';

export interface PatchView extends PatchDetail {
  annotation: PatchAnnotation | null;
}

export type BandDtype = 'uint8' | 'uint16' | 'float32';

/** One sensor's raster of a patch, bands as little-endian base64 (JSON carries it on every transport). */
export interface BandArrays {
  id: string;
  sensor: 's1' | 's2' | 'lc';
  width: number;
  height: number;
  bands: { name: string; dtype: BandDtype; data: string }[];
}

export interface RenderedPreview {
  id: string;
  composite: PreviewName;
  width: number;
  height: number;
  /** PNG, base64. */
  png: string;
  /** Value range mapped to 0..255 per channel. */
  ranges: { min: number; max: number }[];
  legend?: LegendEntry[];
  /** Ramp previews (a single band, an index): the ramp and the values at its ends, in physical units. */
  colourBar?: ColourBar;
}

export interface EvaluationSummary {
  job: string;
  dataset: string | null;
  model: string;
  split: string;
  /** The research's headline number for the scheme (headlineOf of common/metrics/report-types.ts). */
  headline: { metric: HeadlineMetric; value: number };
  /** The checkpoint evaluated; null for an evaluation stored before results named it. */
  checkpoint: CheckpointRef | null;
  endedAt: string | null;
}

/** One checkpoint file a run lists (its checkpoints/index.json), unverified. */
export interface RunCheckpoint {
  /** File name inside the run's checkpoints/. */
  file: string;
  /** `periodic` (step-N), `cancel` (written when a job was cancelled) or `best` (a copy of an epoch-end checkpoint). */
  kind: CheckpointKind;
  step: number;
  epoch: number;
  createdAt: string;
}

/** A selector a run offers now and the checkpoint it names. */
export interface CheckpointChoice {
  selector: CheckpointSelector;
  file: string;
  step: number;
  epoch: number;
}

/** A run's checkpoints, for choosing the one a finetune, evaluation or export takes. */
export interface RunCheckpoints {
  /** The run directory (a job id resolved to it). */
  run: string;
  kind: RunKind;
  /** The checkpoint consumers take unless told otherwise: a pretrain's last, a finetune's best. */
  default: CheckpointSelector;
  /** How the run's `best` checkpoint is chosen. */
  bestRule: string;
  /** Every checkpoint the run lists, by step; the job that loads one verifies it. */
  checkpoints: RunCheckpoint[];
  /** `last`, then `best` when the run keeps one, then `step-N` for each step, with what each names now. */
  selectors: CheckpointChoice[];
}

/** One step of a run's metrics.jsonl: the same fields a live `job.progress` event carries. */
export interface RunMetricPoint {
  step: number;
  /** 0-based epoch of the step. */
  epoch: number;
  loss: number;
  lr: number;
  /** At an epoch end: the validation metrics, named as the run's report names them (knn_top1; f1_micro, ...). */
  validation?: Record<string, number>;
}

/** A run's recorded history (`runs.metrics`), thinned to a bounded number of points. */
export interface RunMetrics {
  /** The run directory; null for a job that has not written one yet. */
  run: string | null;
  points: RunMetricPoint[];
  /** Step records in the file; more than `points.length` when thinned (epoch ends are always kept). */
  steps: number;
}

/** The name and notes a user gave a job (a blank name shows its default name). */
export interface RunLabel {
  job: string;
  name: string;
  notes: string;
  updatedAt: string;
}

/** How an evaluated model did on one patch: the map colours patches by it. */
export interface PatchPrediction {
  id: string;
  /** Simplified classes 1..10 (or IGBP 1..17), ascending. */
  trueLabels: number[];
  predicted: number[];
  /** Single-label: the class is right; multi-label: the predicted set is exactly the true set. */
  correct: boolean;
  /** Jaccard index of the two sets (single-label: 1 or 0). */
  score: number;
  /** The model's probability of each class, in class order (sigmoid or softmax): what precision-recall curves are drawn from. */
  scores: number[];
}

export interface AppInfo {
  apiVersion: number;
  version: string;
  mode: 'desktop' | 'server';
  /** Where runs, exports and the app database live. */
  dataDir: string;
}

/** Every method: params -> result. */
export interface StudioApi {
  'app.info': { params: Record<string, never>; result: AppInfo };
  'datasets.open': { params: { dir: string }; result: DatasetInfo };
  /** Opens the embedded sample, generating it first if needed. */
  'datasets.openSample': { params: Record<string, never>; result: DatasetInfo };
  'datasets.index': { params: { dataset: string }; result: DatasetInfo };
  'datasets.list': { params: Record<string, never>; result: DatasetInfo[] };
  'catalog.query': {
    params: { dataset: string; query: CatalogQuery; annotation?: AnnotationFilter };
    result: QueryPage<PatchSummary | PatchFootprint | PatchDetail>;
  };
  'catalog.classCounts': { params: { dataset: string; query: CatalogQuery; annotation?: AnnotationFilter }; result: ClassCount[] };
  /** The files the last index run could not catalogue (fully), with the reason, a page at a time. */
  'catalog.problems': { params: { dataset: string; page?: { offset: number; limit: number } }; result: ProblemPage };
  'patch.get': { params: { dataset: string; id: string }; result: PatchView };
  'patch.bands': { params: { dataset: string; id: string; sensor: 's1' | 's2' | 'lc' }; result: BandArrays };
  'patch.preview': {
    params: { dataset: string; id: string; composite: PreviewName; low?: number; high?: number; gamma?: number };
    result: RenderedPreview;
  };
  'annotations.get': {
    params: { dataset: string };
    result: { patches: (PatchAnnotation & { id: string })[]; regions: AnnotationRegion[]; canUndo: boolean; canRedo: boolean };
  };
  'annotations.apply': { params: { dataset: string; change: AnnotationChange }; result: AppliedChange };
  'annotations.undo': { params: { dataset: string }; result: AppliedChange | null };
  'annotations.redo': { params: { dataset: string }; result: AppliedChange | null };
  'annotations.exportGeojson': { params: { dataset: string }; result: AnnotationsFeatureCollection };
  /** Regions from a GeoJSON file's text (the browser reads the file), added as one undo step; `name` is the file's, for messages. */
  'annotations.importRegions': { params: { dataset: string; name: string; text: string }; result: AppliedChange };
  'jobs.start': { params: { dataset: string } & JobRequest; result: JobInfo };
  /** Before a pretrain or finetune starts: the backend it would load, the steps it would run, a measured time. */
  'jobs.estimate': { params: { dataset: string } & Extract<JobRequest, { kind: 'pretrain' | 'finetune' }>; result: JobEstimate };
  'jobs.cancel': { params: { id: string }; result: JobInfo };
  'jobs.resume': { params: { id: string }; result: JobInfo };
  'jobs.list': { params: Record<string, never>; result: JobInfo[] };
  'jobs.log': { params: { id: string; tail?: number }; result: { lines: string[] } };
  /** The checkpoints of a pretrain or finetune run (its directory, or the id of a completed job). */
  'runs.checkpoints': { params: { run: string }; result: RunCheckpoints };
  /** The loss, lr and validation history of a pretrain or finetune run (its directory, or a job id in any state). */
  'runs.metrics': { params: { run: string }; result: RunMetrics };
  /** Every name and note users gave jobs. */
  'runs.labels': { params: Record<string, never>; result: RunLabel[] };
  /** Names a job and keeps notes on it; a blank name goes back to the default. */
  'runs.setLabel': { params: { job: string; name: string; notes?: string }; result: RunLabel };
  'results.list': { params: { dataset?: string }; result: EvaluationSummary[] };
  /** An evaluate job's metrics overall and per group (scene, season or region). */
  'results.get': { params: { job: string }; result: EvaluationResult };
  /** An evaluate job's prediction for every patch it scored. */
  'results.predictions': { params: { job: string }; result: { patches: PatchPrediction[] } };
  'settings.get': { params: Record<string, never>; result: Settings };
  'settings.set': { params: { key: string; value: unknown }; result: Settings };
}

export type Method = keyof StudioApi;
export type Params<M extends Method> = StudioApi[M]['params'];
export type Result<M extends Method> = StudioApi[M]['result'];

/** Pushed to every client: job state and progress, indexing progress, annotation changes. */
export type StudioEvent =
  | { type: 'job.state'; job: JobInfo }
  | { type: 'job.progress'; id: string; progress: JobProgress }
  | { type: 'dataset.index'; dataset: string; done: number; total: number }
  | { type: 'annotations.changed'; dataset: string; change: AppliedChange };

export type EventListener = (event: StudioEvent) => void;

/** What every transport gives a client. */
export interface ApiClient {
  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void;
}

/** The kinds of refusal a client may see; transports map them to their own status codes. */
export const ERROR_CODES = [
  'invalid-params',
  'unknown-method',
  'not-found',
  'conflict',
  'bad-message',
  'unauthorized',
  'forbidden',
  'too-large',
  /** The disk or database failed (full, I/O error, read-only, corrupt): a 5xx naming the cause. */
  'storage',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The error shape every transport carries. */
export interface ServiceErrorData {
  code: ErrorCode;
  message: string;
}
