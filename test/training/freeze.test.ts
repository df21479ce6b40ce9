import { describe, expect, it } from 'vitest';
import { EVAL, TRAIN } from '../../core/models/batch-norm.js';
import { RESNET_STAGES, resnetParamSpecs, resnetStageOf, stageMode } from '../../core/models/resnet.js';
import { isFrozen, trainingMode } from '../../core/training/freeze.js';
import { FREEZE_MODES, type FreezeMode } from '../../core/common/training/model-options.js';

const modesOf = (freeze: FreezeMode) => RESNET_STAGES.map((stage) => stageMode(trainingMode(freeze), stage));

describe('BatchNorm modes of a finetuning step', () => {
  it('runs the stem and layer1..K in eval mode under stage-K and trains the later stages', () => {
    expect(modesOf('stage-1')).toEqual([EVAL, EVAL, TRAIN, TRAIN, TRAIN]);
    expect(modesOf('stage-2')).toEqual([EVAL, EVAL, EVAL, TRAIN, TRAIN]);
    expect(modesOf('stage-4')).toEqual([EVAL, EVAL, EVAL, EVAL, EVAL]);
  });

  it("runs a linear probe's backbone wholly in eval mode and an unfrozen one wholly in training", () => {
    expect(modesOf('linear')).toEqual(RESNET_STAGES.map(() => EVAL));
    expect(modesOf('none')).toEqual(RESNET_STAGES.map(() => TRAIN));
  });

  it('puts exactly the stages whose weights are frozen in eval mode', () => {
    const names = resnetParamSpecs({ depth: 18, inChannels: 3 }).map((s) => s.name);
    for (const freeze of FREEZE_MODES) {
      for (const name of names) {
        expect(stageMode(trainingMode(freeze), resnetStageOf(name)!) === EVAL, `${freeze} ${name}`).toBe(isFrozen(name, freeze));
      }
    }
  });
});
