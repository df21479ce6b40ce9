import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParamStore } from '../models/params.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { packageVersion } from '../util/package-root.js';
import { describeModel } from '../formats/describe-model.js';
import { CARD_METADATA_KEY, DEEPNESS_ONNX_FILE, ONNX_FILE } from '../formats/export-files.js';
import { readTensors, type HostTensor } from '../formats/host-tensor.js';
import type { ModelCardBody, ModelCardInput } from '../formats/model-card.js';
import { deepnessMetadata } from './onnx/deepness.js';
import { modelGraph, type OnnxGraphKind } from './onnx/model-graph.js';
import { encodeOnnxModel } from './onnx/onnx-proto.js';
import { toTorchLayout } from '../formats/torch-layout.js';

/**
 * Writes `model.onnx`, the whole model from raw bands to outputs (see modelGraph), with the card
 * (less its `weights`) in its metadata. A features model is also a QGIS Deepness "Recognition"
 * model; a classifier gets `model-deepness.onnx` too, a Deepness "Segmentor". Returns the files
 * written.
 */
export async function exportOnnx(params: ParamStore, outDir: string, input: ModelCardInput): Promise<string[]> {
  const card = describeModel(params, input);
  const tensors = new Map<string, HostTensor>();
  for (const [name, host] of await readTensors(params)) tensors.set(name, toTorchLayout(name, host));
  const files: [string, Uint8Array][] = [[ONNX_FILE, onnxFile(card, tensors, 'model')]];
  if (card.task !== 'features') files.push([DEEPNESS_ONNX_FILE, onnxFile(card, tensors, 'deepness')]);
  await mkdir(outDir, { recursive: true });
  for (const [file, bytes] of files) await writeFileAtomic(join(outDir, file), bytes);
  return files.map(([file]) => file);
}

function onnxFile(card: ModelCardBody, tensors: ReadonlyMap<string, HostTensor>, kind: OnnxGraphKind): Uint8Array {
  const deepness = kind === 'deepness' ? deepnessMetadata(card, 'Segmentor') : card.task === 'features' ? deepnessMetadata(card, 'Recognition') : {};
  return encodeOnnxModel({
    graph: modelGraph(card, tensors, kind),
    producer: { name: 'sen12ms-studio', version: packageVersion() },
    doc: `SEN12MS ${card.architecture} ${card.task} model (${card.bands.join(', ')}); ${CARD_METADATA_KEY} in the metadata is its model card`,
    metadata: { [CARD_METADATA_KEY]: JSON.stringify(card), ...deepness },
  });
}
