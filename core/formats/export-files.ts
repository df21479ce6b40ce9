/**
 * The files of an exported model directory. model.safetensors holds exactly what torchvision's
 * ResNet loads with strict=True (the backbone, plus `fc` for a classifier); the parts that are not
 * torchvision's (the 1x1 input block, MoCo's projection head) have files of their own, which the
 * card names with their checksums.
 */
export const CARD_FILE = 'model-card.json';
export const MODEL_FILE = 'model.safetensors';
export const ONNX_FILE = 'model.onnx';
/** The classifier as a QGIS Deepness "Segmentor": one output, class probabilities over the tile. */
export const DEEPNESS_ONNX_FILE = 'model-deepness.onnx';

/** The non-torchvision parts: which tensors (by name prefix) each file holds. */
export const WEIGHT_PARTS = [
  { role: 'input-block', file: 'input-block.safetensors', prefix: 'input.' },
  { role: 'projection-head', file: 'head.safetensors', prefix: 'head.' },
] as const;
export type WeightPartRole = (typeof WEIGHT_PARTS)[number]['role'];

/** The metadata key under which model.safetensors and model.onnx carry the card (less its `weights`). */
export const CARD_METADATA_KEY = 'model_card';
