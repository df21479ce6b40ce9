import { resolve } from 'node:path';
import { EXPORT_FORMATS, exportRun, type ExportFormat } from '../../export/export-run.js';
import type { BlockSensor } from '../../models/input-block.js';
import { initBackend } from '../../backend/select.js';
import { parseCommandLine, UsageError } from '../args.js';

export const summary =
  'Exports a pretraining or finetuning run (its best checkpoint, else its latest) as model.safetensors with torchvision names + model-card.json, and/or a TensorFlow.js LayersModel.';
export const usage = 'sen12ms-studio export <run-dir> --out <dir> [--format safetensors|tfjs|all] [--sensor s1|s2]';

const OPTIONS = { out: { type: 'string' }, format: { type: 'string' }, sensor: { type: 'string' } } as const;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine(argv, OPTIONS);
  if (positionals.length !== 1) throw new UsageError('expected one run directory');
  if (!v.out) throw new UsageError('--out <dir> is required');
  const format = v.format ?? 'all';
  if (format !== 'all' && !(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be safetensors, tfjs or all, got "${format}"`);
  }
  if (v.sensor !== undefined && v.sensor !== 's1' && v.sensor !== 's2') throw new UsageError(`--sensor must be s1 or s2, got "${v.sensor}"`);
  await initBackend({ purpose: 'infer' });
  const formats: ExportFormat[] = format === 'all' ? [...EXPORT_FORMATS] : [format as ExportFormat];
  const out = resolve(v.out);
  const result = await exportRun(resolve(positionals[0]), out, { formats, sensor: v.sensor as BlockSensor | undefined });
  process.stdout.write(
    JSON.stringify({ dir: result.dir, files: result.files, architecture: result.card.architecture, task: result.card.task, bands: result.card.bands }) + '\n',
  );
  return 0;
}
