import { DatasetFileError } from '../common/util/file-error.js';
import type { Encoder } from '../models/encoder.js';
import { RESNET_DEPTHS, type ResNetDepth } from '../common/training/model-options.js';
import { openRun } from '../runs/run-dir.js';
import { classifierEncoderConfig, inputSensors } from '../models/classifier.js';
import { classifierSpec, type ClassifierSpec, FINETUNE_INPUTS, type FinetuneConfig, type FinetuneInput, recordedFinetuneConfig } from '../common/training/finetune-config.js';
import { readExportedModel, type ExportedModel } from './exported-weights.js';
import { modelDirKind, refuseSelectorOnExport, runCheckpoint } from './model-dir.js';
import type { CheckpointRef, CheckpointSelector } from '../common/runs/checkpoint-ref.js';
import { encoderFromWeights } from './encoder-weights.js';
import { resizeStep } from '../formats/preprocessing.js';

/** A finetuned classifier ready for inference. */
export interface TrainedClassifier {
  spec: ClassifierSpec;
  encoder: Encoder;
  /** Patch side it was trained at. */
  size: number;
  /** The finetune config, when the model is a run directory. */
  config?: FinetuneConfig;
  /** The checkpoint or weights file the values came from. */
  source: string;
  /** The finetune checkpoint used (for an exported model, the one its card names). */
  checkpoint: CheckpointRef;
}

/**
 * A finetune run directory (the checkpoint `selector` names, by default its best by validation)
 * or an exported classifier, which holds one set of weights and so takes no selector.
 */
export async function loadTrainedClassifier(dir: string, selector?: CheckpointSelector): Promise<TrainedClassifier> {
  if ((await modelDirKind(dir)) === 'export') {
    refuseSelectorOnExport(dir, selector);
    return fromExport(await readExportedModel(dir));
  }
  const run = await openRun(dir);
  if (run.config.kind !== 'finetune') throw new DatasetFileError(dir, `a ${run.config.kind} run, not a finetuning run: it has no classifier`);
  const config = recordedFinetuneConfig(run.config.trainer);
  const { checkpoint: ckpt, ref } = await runCheckpoint(dir, 'finetune', selector);
  const spec = classifierSpec(config);
  const encoder = encoderFromWeights(classifierEncoderConfig(spec), ckpt.model, ckpt.path);
  return { spec, encoder, size: config.size, config, source: ckpt.path, checkpoint: ref };
}

function fromExport(model: ExportedModel): TrainedClassifier {
  const { card, tensors } = model;
  const source = `${model.dir}/${card.weights.file}`;
  const fail = (reason: string): never => {
    throw new DatasetFileError(`${model.dir}/model-card.json`, reason);
  };
  if (card.task === 'features') fail('a features model (no classifier): finetune it first');
  const depth = Number(card.architecture.replace('resnet', '')) as ResNetDepth;
  if (!RESNET_DEPTHS.includes(depth)) fail(`architecture ${card.architecture} is not one this app builds`);
  const classes = card.classes.length;
  if (classes !== 10 && classes !== 17) fail(`classes: ${classes} classes; the scene classifiers have 10 or 17`);
  const blocks = [...new Set([...tensors.keys()].filter((n) => n.startsWith('input.')).map((n) => n.split('.')[1]))].sort();
  const trained = card.training.config.input;
  let input: FinetuneInput;
  if (typeof trained === 'string' && (FINETUNE_INPUTS as readonly string[]).includes(trained)) input = trained as FinetuneInput;
  else if (blocks.length > 0) input = blocks.length === 2 ? 's1s2' : (blocks[0] as FinetuneInput);
  else input = fail('training.config.input is missing: cannot tell which sensors the 12-channel model was trained on (s1, s2 or s1s2)');
  if (blocks.length > 0 && inputSensors(input).sort().join() !== blocks.join()) {
    fail(`training.config.input is ${input} but the weights have input blocks for ${blocks.join(', ')}`);
  }
  const spec: ClassifierSpec = {
    depth,
    input,
    inputBlocks: blocks.length > 0,
    scheme: card.task === 'multi-label' ? 'multi' : 'single',
    classes: classes as 10 | 17,
  };
  const encoder = encoderFromWeights(classifierEncoderConfig(spec), tensors, source);
  return { spec, encoder, size: resizeStep(card).size, source, checkpoint: card.checkpoint };
}
