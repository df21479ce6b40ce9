import { resolve } from 'node:path';
import { exportRun } from '../../export/export-run.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../common/export/export-formats.js';
import type { BlockSensor } from '../../common/training/model-options.js';
import { initBackend } from '../../backend/select.js';
import { checkpointOption, parseCommandLine, UsageError } from '../args.js';

export const summary =
  'Exports one checkpoint of a pretraining or finetuning run: model.safetensors (torchvision ResNet) + input-block/head files + model-card.json, ' +
  'model.onnx (raw bands to outputs, QGIS Deepness metadata), and/or a TensorFlow.js LayersModel. Prints one JSON line listing the files.';
export const usage = `sen12ms-studio export <run-dir> --out <dir> [--format safetensors|tfjs|onnx|all] [--checkpoint last|best|step-N] [--sensor s1|s2]
    --format: all (default) writes safetensors, tfjs and onnx.
    --checkpoint: which checkpoint (default: a pretrain's last, a finetune's best); the model card records it.
    --sensor: for a pretrain with one input block per sensor, the block the exported model takes (default s2).`;

const OPTIONS = { out: { type: 'string' }, format: { type: 'string' }, checkpoint: { type: 'string' }, sensor: { type: 'string' } } as const;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('expected one run directory');
  if (!v.out) throw new UsageError('--out <dir> is required');
  const format = v.format ?? 'all';
  if (format !== 'all' && !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be ${EXPORT_FORMATS.join(', ')} or all, got "${format}"`);
  }
  if (v.sensor !== undefined && v.sensor !== 's1' && v.sensor !== 's2') throw new UsageError(`--sensor must be s1 or s2, got "${v.sensor}"`);
  const checkpoint = checkpointOption(v.checkpoint);
  await initBackend({ purpose: 'infer' });
  const formats: ExportFormat[] = format === 'all' ? [...EXPORT_FORMATS] : [format as ExportFormat];
  const out = resolve(v.out);
  const result = await exportRun(resolve(positionals[0]), out, { formats, checkpoint, sensor: v.sensor as BlockSensor | undefined });
  const { architecture, task, bands, checkpoint: ref } = result.card;
  process.stdout.write(JSON.stringify({ dir: result.dir, files: result.files, architecture, task, bands, checkpoint: ref }) + '\n');
  return 0;
}
