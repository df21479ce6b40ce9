import type { ParamStore } from '../models/params.js';
import { resnetParamSpecs } from '../models/resnet.js';
import { RESNET_DEPTHS, type ResNetDepth } from '../common/training/model-options.js';

/** What an exporter needs to know about the network a ParamStore holds. */
export interface ResNetStructure {
  depth: ResNetDepth;
  /** Prefix of the input block in use ("input.s2"), or null. */
  inputBlock: string | null;
  /** Channels the model takes: the input block's bands, else conv1's input channels. */
  inputChannels: number;
  /** Outputs of the `fc` classifier, or null without one. */
  fcOutputs: number | null;
}

/**
 * Recognises a torchvision ResNet in a ParamStore by its names and shapes. `inputBlock` picks the
 * block inputs go through; left out, the store's only block is used (none: straight to conv1).
 */
export function describeResNet(params: ParamStore, inputBlock?: string | null): ResNetStructure {
  const conv1 = params.get('conv1.weight');
  if (!conv1 || conv1.rank !== 4) throw new Error('not a ResNet: no 4-d conv1.weight');
  const backboneChannels = (conv1.shape as number[])[2];
  const depth = RESNET_DEPTHS.find((d) => matchesDepth(params, d, backboneChannels));
  if (depth === undefined) throw new Error(`not a torchvision ResNet of depth ${RESNET_DEPTHS.join('/')}: layer names or shapes differ`);

  const blocks = [...new Set([...params.keys()].filter((n) => n.startsWith('input.')).map((n) => n.split('.').slice(0, 2).join('.')))];
  let block: string | null;
  if (inputBlock !== undefined) block = inputBlock;
  else if (blocks.length <= 1) block = blocks[0] ?? null;
  else throw new Error(`the model has several input blocks (${blocks.join(', ')}): say which one to export`);

  let inputChannels = backboneChannels;
  if (block !== null) {
    const conv = params.get(`${block}.conv.weight`);
    if (!conv || conv.rank !== 4) throw new Error(`no input block ${block} in the model (blocks: ${blocks.join(', ') || 'none'})`);
    const [, , bands, out] = conv.shape as number[];
    if (out !== backboneChannels) throw new Error(`input block ${block} gives ${out} channels, conv1 takes ${backboneChannels}`);
    inputChannels = bands;
  }
  const fc = params.get('fc.weight');
  return { depth, inputBlock: block, inputChannels, fcOutputs: fc ? (fc.shape as number[])[1] : null };
}

function matchesDepth(params: ParamStore, depth: ResNetDepth, inChannels: number): boolean {
  const specs = resnetParamSpecs({ depth, inChannels });
  const layerNames = [...params.keys()].filter((n) => n.startsWith('layer'));
  const specLayerNames = specs.filter((s) => s.name.startsWith('layer'));
  return (
    layerNames.length === specLayerNames.length &&
    specs.every((s) => {
      const v = params.get(s.name);
      return v !== undefined && v.shape.length === s.shape.length && v.shape.every((d, i) => d === s.shape[i]);
    })
  );
}
