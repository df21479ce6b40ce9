import { describeModel } from '../formats/describe-model.js';
import { exportOnnx } from './export-onnx.js';
import { exportSafetensors, safetensorsFiles } from './export-safetensors.js';
import { type ModelCardBody, type ModelCardInput } from '../formats/model-card.js';
import { exportTfjsLayersModel, LAYERS_MODEL_FILE, LAYERS_WEIGHTS_FILE } from './tfjs-layers-model.js';
import type { ExportFormat } from '../common/export/export-formats.js';
import { type PrepareRunOptions, prepareRun } from '../weights/prepare-run.js';

export interface ExportRunOptions extends Omit<PrepareRunOptions, 'preferSensor'> {
  formats: readonly ExportFormat[];
}

export interface ExportedFiles {
  dir: string;
  /** The card as written (without `weights` when no safetensors were). */
  card: ModelCardBody;
  files: string[];
}

/**
 * Exports one checkpoint of a run (opts.checkpoint, recorded in the card): a pretrain run as a
 * feature extractor (backbone with the chosen input block and the projection head), a finetune
 * run as its classifier. The card records the bands, preprocessing, classes, training config,
 * metrics and split digests; every format gets the same card.
 */
export async function exportRun(runDir: string, outDir: string, opts: ExportRunOptions): Promise<ExportedFiles> {
  const prepared = await prepareRun(runDir, opts);
  try {
    const input: ModelCardInput = { ...prepared.card, ...(await prepared.provenance()), createdAt: new Date().toISOString() };
    const files: string[] = [];
    let card: ModelCardBody = describeModel(prepared.params, input);
    if (opts.formats.includes('safetensors')) {
      const written = await exportSafetensors(prepared.params, outDir, input);
      files.push(...safetensorsFiles(written));
      card = written;
    }
    if (opts.formats.includes('onnx')) files.push(...(await exportOnnx(prepared.params, outDir, input)));
    if (opts.formats.includes('tfjs')) {
      await exportTfjsLayersModel(prepared.params, outDir, { inputBlock: card.inputBlock });
      files.push(LAYERS_MODEL_FILE, LAYERS_WEIGHTS_FILE);
    }
    return { dir: outDir, card, files };
  } finally {
    prepared.encoder.dispose();
  }
}

/** A run's model as exported, in memory: what `export` writes and what `embed` runs on a run directory. */

