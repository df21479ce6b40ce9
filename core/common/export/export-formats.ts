/** What a run exports to (core/export/export-run.ts writes them): PyTorch safetensors, a TensorFlow.js LayersModel, ONNX. */
export const EXPORT_FORMATS = ['safetensors', 'tfjs', 'onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
