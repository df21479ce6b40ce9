/** Where an export goes by default, and what the finished job says it wrote. */
import type { ExportFormat } from '#common/export/export-formats.js';

export const FORMAT_TITLES: Record<ExportFormat, string> = {
  safetensors: 'safetensors + model card (PyTorch / torchvision names)',
  tfjs: 'TensorFlow.js LayersModel (model.json + weights)',
  onnx: 'ONNX, raw bands to outputs (model.onnx; QGIS Deepness metadata)',
};
export const FORMATS = Object.keys(FORMAT_TITLES) as ExportFormat[];

/** `<dataDir>/exports/<job>`, with the separator the data dir already uses (Windows or POSIX). */
export function defaultDestination(dataDir: string, job: string): string {
  const sep = dataDir.includes('\\') && !dataDir.includes('/') ? '\\' : '/';
  const base = dataDir.endsWith(sep) ? dataDir.slice(0, -1) : dataDir;
  return [base, 'exports', job].join(sep);
}

/** The files an export job reports (core/export's ExportedFiles), or none when it reports otherwise. */
export function exportedFiles(result: unknown): { dir: string; files: string[] } | null {
  if (typeof result !== 'object' || result === null) return null;
  const { dir, files } = result as { dir?: unknown; files?: unknown };
  if (typeof dir !== 'string' || !Array.isArray(files) || !files.every((f) => typeof f === 'string')) return null;
  return { dir, files };
}
