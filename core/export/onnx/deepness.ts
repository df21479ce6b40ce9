import { PATCH_PIXEL_METRES } from '../../dataset/patch-reader.js';
import type { ModelCardBody } from '../../formats/model-card.js';
import { resizeStep } from '../../formats/preprocessing.js';

/**
 * Metadata the QGIS Deepness plugin (PUTvision/qgis-plugin-deepness) reads from an ONNX file,
 * every value JSON-encoded as its json.loads expects. Deepness always divides the raster values by
 * 255, then standardises with the stored mean and std: mean 0 and std 1/255 hand the graph the
 * raw values, whose real normalisation is inside the graph.
 */
export function deepnessMetadata(card: ModelCardBody, modelType: 'Recognition' | 'Segmentor'): Record<string, string> {
  const tile = resizeStep(card).from;
  const channels = card.inputChannels;
  const metadata: Record<string, unknown> = {
    model_type: modelType,
    // Centimetres per pixel.
    resolution: PATCH_PIXEL_METRES * 100,
    // Deepness' code reads tile_size, its documentation and metadata tool write tiles_size.
    tile_size: tile,
    tiles_size: tile,
    tiles_overlap: 0,
    standardization_mean: Array<number>(channels).fill(0),
    standardization_std: Array<number>(channels).fill(1 / 255),
  };
  if (modelType === 'Segmentor') metadata.class_names = Object.fromEntries(card.classes.map((name, i) => [String(i), name]));
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, JSON.stringify(value)]));
}
