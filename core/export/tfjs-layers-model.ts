import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { io, type Tensor } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BN_EPS } from '../models/batch-norm.js';
import type { ParamStore } from '../models/params.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { describeResNet } from '../formats/resnet-structure.js';

export const LAYERS_MODEL_FILE = 'model.json';
export const LAYERS_WEIGHTS_FILE = 'group1-shard1of1.bin';

export interface TfjsExportOptions {
  /** Input block the model's input goes through ("input.s2"); default: the store's only one. */
  inputBlock?: string | null;
}

type SymbolicTensor = tfl.SymbolicTensor;

/**
 * Writes a TensorFlow.js LayersModel (model.json + one weights file) that `tf.loadLayersModel`
 * loads in a browser or Node without this app: the ResNet of `params` with BatchNorm in inference
 * mode (running statistics), global average pooling and the `fc` classifier when there is one.
 * Input is NHWC of any height and width. Layer names are the torchvision prefixes with "." -> "_".
 */
export async function exportTfjsLayersModel(params: ParamStore, outDir: string, options: TfjsExportOptions = {}): Promise<void> {
  const model = buildLayersModel(params, options);
  try {
    await mkdir(outDir, { recursive: true });
    await model.save(
      io.withSaveHandler(async (artifacts) => {
        const weightData = io.concatenateArrayBuffers(artifacts.weightData === undefined ? [] : ([] as ArrayBuffer[]).concat(artifacts.weightData));
        const json: io.ModelJSON = {
          modelTopology: artifacts.modelTopology ?? {},
          format: artifacts.format,
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy,
          weightsManifest: [{ paths: [`./${LAYERS_WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        };
        await writeFileAtomic(join(outDir, LAYERS_WEIGHTS_FILE), new Uint8Array(weightData));
        await writeFileAtomic(join(outDir, LAYERS_MODEL_FILE), JSON.stringify(json));
        return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
  } finally {
    model.dispose();
  }
}

/** The LayersModel itself, weights set from `params` (copies: the model owns its variables). */
function buildLayersModel(params: ParamStore, options: TfjsExportOptions = {}): tfl.LayersModel {
  const structure = describeResNet(params, options.inputBlock);
  const builder = new Builder(params);
  const input = tfl.input({ shape: [null, null, structure.inputChannels], name: 'input' });
  let h: SymbolicTensor = input;
  if (structure.inputBlock) {
    h = builder.relu(builder.batchNorm(`${structure.inputBlock}.bn`, builder.conv(`${structure.inputBlock}.conv`, h, 1, 0)));
  }
  h = builder.relu(builder.batchNorm('bn1', builder.conv('conv1', h, 2, 3)));
  h = tfl.layers.zeroPadding2d({ padding: 1, name: 'maxpool_pad' }).apply(h) as SymbolicTensor;
  h = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'maxpool' }).apply(h) as SymbolicTensor;
  for (const block of blockPrefixes(params)) h = builder.block(block, h, structure.depth === 50);
  h = tfl.layers.globalAveragePooling2d({ name: 'avgpool' }).apply(h) as SymbolicTensor;
  if (structure.fcOutputs !== null) h = builder.dense('fc', h);
  const model = tfl.model({ inputs: input, outputs: h, name: `resnet${structure.depth}` });
  builder.assign();
  return model;
}

/** `layer1.0`, `layer1.1`, ... in network order. */
function blockPrefixes(params: ParamStore): string[] {
  const prefixes = new Set<string>();
  for (const name of params.keys()) {
    const m = /^(layer\d+\.\d+)\./.exec(name);
    if (m) prefixes.add(m[1]);
  }
  const key = (p: string) => p.slice('layer'.length).split('.').map(Number);
  return [...prefixes].sort((a, b) => {
    const [sa, ia] = key(a);
    const [sb, ib] = key(b);
    return sa - sb || ia - ib;
  });
}

/** Adds layers named after the ParamStore prefixes and remembers which entries feed each. */
class Builder {
  private readonly pending: [tfl.layers.Layer, Tensor[]][] = [];

  constructor(private readonly params: ParamStore) {}

  private param(name: string): Tensor {
    const v = this.params.get(name);
    if (!v) throw new Error(`missing parameter ${name}`);
    return v;
  }

  /** PyTorch pads symmetrically; tf's 'same' would not for stride 2, so pad explicitly. */
  conv(prefix: string, x: SymbolicTensor, stride: number, pad: number): SymbolicTensor {
    const kernel = this.param(`${prefix}.weight`);
    const [k, , , filters] = kernel.shape as number[];
    const name = layerName(prefix);
    if (pad > 0) x = tfl.layers.zeroPadding2d({ padding: pad, name: `${name}_pad` }).apply(x) as SymbolicTensor;
    const layer = tfl.layers.conv2d({ filters, kernelSize: k, strides: stride, padding: 'valid', useBias: false, name });
    this.pending.push([layer, [kernel]]);
    return layer.apply(x) as SymbolicTensor;
  }

  batchNorm(prefix: string, x: SymbolicTensor): SymbolicTensor {
    const layer = tfl.layers.batchNormalization({ axis: -1, epsilon: BN_EPS, name: layerName(prefix) });
    const names = ['weight', 'bias', 'running_mean', 'running_var'];
    this.pending.push([layer, names.map((n) => this.param(`${prefix}.${n}`))]);
    return layer.apply(x) as SymbolicTensor;
  }

  relu(x: SymbolicTensor): SymbolicTensor {
    return tfl.layers.reLU().apply(x) as SymbolicTensor;
  }

  dense(prefix: string, x: SymbolicTensor): SymbolicTensor {
    const kernel = this.param(`${prefix}.weight`);
    const layer = tfl.layers.dense({ units: (kernel.shape as number[])[1], name: layerName(prefix) });
    this.pending.push([layer, [kernel, this.param(`${prefix}.bias`)]]);
    return layer.apply(x) as SymbolicTensor;
  }

  /** torchvision's BasicBlock, or its v1.5 Bottleneck (stride on the 3x3 conv). */
  block(p: string, x: SymbolicTensor, bottleneck: boolean): SymbolicTensor {
    const first = p.endsWith('.0') && !p.startsWith('layer1.');
    const stride = first ? 2 : 1;
    let h: SymbolicTensor;
    if (bottleneck) {
      h = this.relu(this.batchNorm(`${p}.bn1`, this.conv(`${p}.conv1`, x, 1, 0)));
      h = this.relu(this.batchNorm(`${p}.bn2`, this.conv(`${p}.conv2`, h, stride, 1)));
      h = this.batchNorm(`${p}.bn3`, this.conv(`${p}.conv3`, h, 1, 0));
    } else {
      h = this.relu(this.batchNorm(`${p}.bn1`, this.conv(`${p}.conv1`, x, stride, 1)));
      h = this.batchNorm(`${p}.bn2`, this.conv(`${p}.conv2`, h, 1, 1));
    }
    const shortcut = this.params.has(`${p}.downsample.0.weight`)
      ? this.batchNorm(`${p}.downsample.1`, this.conv(`${p}.downsample.0`, x, stride, 0))
      : x;
    const sum = tfl.layers.add({ name: `${layerName(p)}_add` }).apply([h, shortcut]) as SymbolicTensor;
    return this.relu(sum);
  }

  /** Layers get their variables when applied; only then can their weights be set. */
  assign(): void {
    for (const [layer, weights] of this.pending) layer.setWeights(weights);
  }
}

function layerName(prefix: string): string {
  return prefix.replace(/\./g, '_');
}
