/**
 * The defaults that depend on the backend, and the one place a front end's settings (the CLI's
 * flags, the app's job options) become a run's config with every default filled in.
 */
import type { ResNetDepth } from './model-options.js';
import { CPU_QUEUE_SIZE, KNN_DEFAULTS, PRETRAIN_DEFAULTS, PRETRAIN_SETTING_FIELDS, resolvePretrainConfig, type PretrainConfig, type PretrainSettings } from './pretrain-config.js';
import { FINETUNE_SETTING_FIELDS, resolveFinetuneConfig, type FinetuneConfig, type FinetuneSettings } from './finetune-config.js';
import { parseSubsetSyntax, type SubsetSpec } from '../sampler/selection-spec.js';
import { FieldError } from '../util/json-schema.js';

/** What the defaults depend on: the TensorFlow.js backend name core/backend/select.ts reports. */
export interface BackendIdentity {
  tfBackend: string;
}

/** True on tfjs-node(-gpu); the research's sizes are only practical there. */
export function isNativeBackend(info: BackendIdentity): boolean {
  return info.tfBackend === 'tensorflow';
}

/** The defaults that depend on the backend, for every front end (CLI commands, app jobs). */
export interface BackendDefaults {
  depth: ResNetDepth;
  size: number;
  /** Pretraining batch size (finetuning keeps the research's 64 everywhere). */
  batchSize: number;
  /** MoCo queue length. */
  queueSize: number;
}

/** The research's sizes (the draft's settings): what a native backend trains with. */
export const NATIVE_BACKEND_DEFAULTS: BackendDefaults = {
  depth: PRETRAIN_DEFAULTS.depth,
  size: PRETRAIN_DEFAULTS.size,
  batchSize: PRETRAIN_DEFAULTS.batchSize,
  queueSize: PRETRAIN_DEFAULTS.queueSize,
};

/**
 * On CPU backends the research's ResNet-50 at 256 px with a 65,536-key queue would take weeks;
 * smaller defaults keep a run practical, and every one of them can be overridden.
 */
export const CPU_BACKEND_DEFAULTS: BackendDefaults = { depth: 18, size: 64, batchSize: 32, queueSize: CPU_QUEUE_SIZE };

export function backendDefaults(info: BackendIdentity): BackendDefaults {
  return isNativeBackend(info) ? NATIVE_BACKEND_DEFAULTS : CPU_BACKEND_DEFAULTS;
}

/** What a backend's defaults set in a pretraining config; the draft's defaults fill the rest. */
export function pretrainBackendFields(defaults: BackendDefaults): Pick<PretrainConfig, 'depth' | 'size' | 'batchSize' | 'queueSize'> {
  return { depth: defaults.depth, size: defaults.size, batchSize: defaults.batchSize, queueSize: defaults.queueSize };
}

/** What a backend's defaults set in a finetuning config: its batch stays the draft's on every backend. */
export function finetuneBackendFields(defaults: BackendDefaults): Pick<FinetuneConfig, 'depth' | 'size'> {
  return { depth: defaults.depth, size: defaults.size };
}

/**
 * A new pretraining run's config: the settings given, the backend's defaults for depth, size,
 * batch and queue, the research's for the rest. Problems name the settings' fields.
 */
export function pretrainConfigFor(catalog: string, settings: PretrainSettings, defaults: BackendDefaults): PretrainConfig {
  return inSettingsTerms('pretrain', () => {
    const { subset, valFraction, knn } = settings;
    return resolvePretrainConfig({
      ...pretrainBackendFields(defaults),
      ...given(settings, PRETRAIN_SETTING_FIELDS),
      catalog,
      selection: { split: 'train', seed: settings.seed ?? PRETRAIN_DEFAULTS.seed, ...selectionOf(subset, valFraction) },
      ...(knn === undefined ? {} : { knn: knn && { ...KNN_DEFAULTS, ...given(knn, ['k', 'bank', 'val']) } }),
    });
  });
}

/**
 * A new finetuning run's config: the settings given, the backend's defaults for depth and size,
 * the research's for the rest. Problems name the settings' fields.
 */
export function finetuneConfigFor(catalog: string, settings: FinetuneSettings, defaults: BackendDefaults): FinetuneConfig {
  return inSettingsTerms('finetune', () =>
    resolveFinetuneConfig({
      ...finetuneBackendFields(defaults),
      ...given(settings, FINETUNE_SETTING_FIELDS),
      catalog,
      ...(settings.checkpoint === undefined ? {} : { pretrainedCheckpoint: settings.checkpoint }),
      selection: selectionOf(settings.subset, settings.valFraction),
    }),
  );
}

/** The fields of `value` among `fields` that are set; an undefined one takes its default, as a missing one does. */
function given<T extends object, K extends keyof T>(value: T, fields: readonly K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(fields.filter((f) => value[f] !== undefined).map((f) => [f, value[f]])) as Partial<Pick<T, K>>;
}

function selectionOf(subset: string | undefined, valFraction: number | undefined): { subset?: SubsetSpec; valFraction?: number } {
  let spec: SubsetSpec | undefined;
  try {
    spec = subset === undefined ? undefined : parseSubsetSyntax(subset);
  } catch (err) {
    throw new FieldError('settings', [`subset: ${(err as Error).message}`]);
  }
  return { ...(spec === undefined ? {} : { subset: spec }), ...(valFraction === undefined ? {} : { valFraction }) };
}

/** Where a setting lands in the config under another name; problems are reported under the setting's. */
const SETTING_OF_FIELD: Readonly<Record<string, string>> = {
  pretrainedCheckpoint: 'checkpoint',
  'selection.subset': 'subset',
  'selection.valFraction': 'valFraction',
};

function inSettingsTerms<T>(kind: 'pretrain' | 'finetune', make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    throw new FieldError(
      `${kind} settings`,
      err.problems.map((problem) => {
        const field = Object.keys(SETTING_OF_FIELD).find((f) => problem.startsWith(`${f}:`) || problem.startsWith(`${f}.`));
        return field === undefined ? problem : SETTING_OF_FIELD[field] + problem.slice(field.length);
      }),
    );
  }
}
