import type { ParamStore } from '../models/params.js';
import { validateModelCardBody, type ModelCardBody, type ModelCardInput } from './model-card.js';
import { preprocessingSteps } from './preprocessing.js';
import { describeResNet } from './resnet-structure.js';

/**
 * The card of an export, less the checksums of its files: the caller's fields, the preprocessing
 * recipe derived from them, checked against the schema and against the weights (architecture,
 * input channels, classes), so no exporter writes a card that misdescribes what it writes.
 */
export function describeModel(params: ParamStore, input: ModelCardInput): ModelCardBody {
  const { createdAt, architecture, inputChannels, bands, inputBlock, normalization, ...rest } = input;
  // Written in this order: what the network is and takes first, then what it gives, then provenance.
  const body = validateModelCardBody(
    {
      format: 'sen12ms-studio.model-card',
      version: 2,
      createdAt: createdAt ?? new Date().toISOString(),
      architecture,
      inputChannels,
      bands,
      inputBlock,
      normalization,
      preprocessing: preprocessingSteps(input),
      ...rest,
    },
    'model card',
  );
  const structure = describeResNet(params, body.inputBlock);
  const mismatches = [
    body.architecture !== `resnet${structure.depth}` && `architecture is ${body.architecture}, the weights are resnet${structure.depth}`,
    body.inputChannels !== structure.inputChannels && `inputChannels is ${body.inputChannels}, the weights take ${structure.inputChannels}`,
    body.task !== 'features' && structure.fcOutputs !== body.classes.length &&
      `${body.classes.length} classes, the weights have ${structure.fcOutputs === null ? 'no fc' : `${structure.fcOutputs} outputs`}`,
  ].filter((m): m is string => typeof m === 'string');
  if (mismatches.length > 0) throw new Error(`model card does not fit the weights: ${mismatches.join('; ')}`);
  return body;
}
