import { describe, expect, it } from 'vitest';
import { jobSpecProblems, validateJobSpec } from '../../../../core/common/jobs/job-spec.js';
import { RESNET_DEPTHS } from '../../../../core/common/training/model-options.js';
import { PAIR_STRATEGIES } from '../../../../core/common/training/pair-strategies.js';
import { FINETUNE_DEFAULTS, FINETUNE_INPUTS } from '../../../../core/common/training/finetune-config.js';
import { PRETRAIN_DEFAULTS } from '../../../../core/common/training/pretrain-config.js';
import { CPU_BACKEND_DEFAULTS } from '../../../../core/common/training/backend-defaults.js';
import {
  DEPTHS,
  INPUTS,
  PRESETS,
  STRATEGIES,
  finetuneOptions,
  finetuneVariant,
  formProblems,
  presetForm,
  pretrainOptions,
} from '../../../../renderer/src/lib/training/presets.js';
import { jobInfo } from './job-fixtures.js';

const catalog = '/data/catalog.sqlite';

describe('training presets', () => {
  it('lists exactly the strategies, depths and inputs the trainer accepts', () => {
    expect([...STRATEGIES].sort()).toEqual([...PAIR_STRATEGIES].sort());
    expect([...DEPTHS].sort()).toEqual([...RESNET_DEPTHS].sort());
    expect([...INPUTS].sort()).toEqual([...FINETUNE_INPUTS].sort());
  });

  it.each(PRESETS.map((p) => [p.id]))('preset %s gives pretrain and finetune options the job validator accepts', (id) => {
    const form = presetForm(id);
    expect(formProblems(form)).toEqual([]);
    expect(() => validateJobSpec({ kind: 'pretrain', catalog, options: pretrainOptions(form) })).not.toThrow();
    expect(() => validateJobSpec({ kind: 'finetune', catalog, options: finetuneOptions(form, null) })).not.toThrow();
  });

  it('every strategy with every input gives a valid pretrain job', () => {
    const form = presetForm('cpu');
    for (const strategy of STRATEGIES) {
      for (const input of INPUTS) {
        expect(() => validateJobSpec({ kind: 'pretrain', catalog, options: pretrainOptions({ ...form, strategy, input }) })).not.toThrow();
      }
    }
  });

  it("the research preset is the draft's settings; the CPU preset the CLI's defaults without a GPU", () => {
    const research = presetForm('research');
    expect(pretrainOptions(research)).toMatchObject({
      depth: PRETRAIN_DEFAULTS.depth,
      size: PRETRAIN_DEFAULTS.size,
      epochs: PRETRAIN_DEFAULTS.epochs,
      batchSize: PRETRAIN_DEFAULTS.batchSize,
      lr: PRETRAIN_DEFAULTS.lr,
      queueSize: PRETRAIN_DEFAULTS.queueSize,
    });
    expect(finetuneOptions(research, null)).toMatchObject({
      depth: FINETUNE_DEFAULTS.depth,
      size: FINETUNE_DEFAULTS.size,
      epochs: FINETUNE_DEFAULTS.epochs,
      batchSize: FINETUNE_DEFAULTS.batchSize,
      lr: FINETUNE_DEFAULTS.lr,
      input: FINETUNE_DEFAULTS.input,
      scheme: FINETUNE_DEFAULTS.scheme,
    });
    const cpu = presetForm('cpu');
    const { depth, size, batchSize, queueSize } = CPU_BACKEND_DEFAULTS;
    expect(pretrainOptions(cpu)).toMatchObject({ depth, size, batchSize, queueSize, epochs: PRETRAIN_DEFAULTS.epochs });
    expect(finetuneOptions(cpu, null)).toMatchObject({ depth, size, batchSize: FINETUNE_DEFAULTS.batchSize });
  });

  it('the tiny demo is small: ResNet-10 at 32 px, batch 8, a few steps', () => {
    const options = pretrainOptions(presetForm('tiny-demo'));
    expect(options).toMatchObject({ depth: 10, size: 32, batchSize: 8 });
    expect(options.maxSteps).toBeLessThanOrEqual(10);
  });

  it('training the 1x1 blocks is asked for only where the strategy has blocks; frozen is the default', () => {
    const form = presetForm('cpu');
    expect(pretrainOptions(form)).not.toHaveProperty('freezeInputBlocks');
    const trained = { ...form, trainInputBlocks: true };
    expect(pretrainOptions({ ...trained, strategy: 'sensor-pairs' }).freezeInputBlocks).toBe(false);
    expect(pretrainOptions({ ...trained, strategy: 'augment', input: 's2' }).freezeInputBlocks).toBe(false);
    expect(pretrainOptions({ ...trained, strategy: 'all-fusion' })).not.toHaveProperty('freezeInputBlocks');
    expect(pretrainOptions({ ...trained, strategy: 'augment', input: 's1s2' })).not.toHaveProperty('freezeInputBlocks');
    expect(() => validateJobSpec({ kind: 'pretrain', catalog, options: pretrainOptions(trained) })).not.toThrow();
  });

  it('only the augment strategy names its input sensor; s1+s2 becomes the fusion input', () => {
    const form = presetForm('cpu');
    expect(pretrainOptions({ ...form, strategy: 'augment', input: 's1s2' }).sensor).toBe('fusion');
    expect(pretrainOptions({ ...form, strategy: 'augment', input: 's1' }).sensor).toBe('s1');
    expect(pretrainOptions({ ...form, strategy: 'sensor-pairs', input: 's1' }).sensor).toBeUndefined();
  });

  it('"all" subset and an unset step limit are left to the service defaults', () => {
    const options = pretrainOptions({ ...presetForm('cpu'), subset: 'all', maxSteps: null });
    expect(options).not.toHaveProperty('subset');
    expect(options).not.toHaveProperty('maxSteps');
    expect(pretrainOptions({ ...presetForm('cpu'), subset: ' random:64 ' }).subset).toBe('random:64');
  });

  it('finetunes from a pretrain job with the variant its input blocks call for and its depth', () => {
    const form = { ...presetForm('cpu'), depth: 18 as const };
    const sensorRun = jobInfo('job-p1', 'pretrain', { strategy: 'sensor-pairs', depth: 10 });
    const fusionRun = jobInfo('job-p2', 'pretrain', { strategy: 'partial-fusion', depth: 34 });
    const fromSensor = finetuneOptions(form, sensorRun);
    expect(fromSensor).toMatchObject({ variant: 'moco-1x1', pretrained: 'job-p1', depth: 10 });
    expect(finetuneOptions(form, fusionRun)).toMatchObject({ variant: 'moco', pretrained: 'job-p2', depth: 34 });
    expect(finetuneVariant(jobInfo('job-p3', 'pretrain', { strategy: 'augment', sensor: 'fusion' }))).toBe('moco');
    expect(finetuneVariant(jobInfo('job-p4', 'pretrain', { strategy: 'augment', sensor: 's1' }))).toBe('moco-1x1');
    expect(finetuneVariant(null)).toBe('supervised');
    expect(finetuneOptions(form, null)).not.toHaveProperty('pretrained');
    for (const options of [fromSensor, finetuneOptions(form, fusionRun)]) {
      expect(() => validateJobSpec({ kind: 'finetune', catalog, options })).not.toThrow();
    }
  });

  it("sends the chosen checkpoint of the pretrain, and none for a supervised finetune", () => {
    const form = presetForm('tiny-demo');
    const run = jobInfo('job-p1', 'pretrain', { strategy: 'sensor-pairs', depth: 10 });
    const options = finetuneOptions(form, run, 'step-3');
    expect(options).toMatchObject({ pretrained: 'job-p1', checkpoint: 'step-3' });
    expect(() => validateJobSpec({ kind: 'finetune', catalog, options })).not.toThrow();
    expect(finetuneOptions(form, run)).not.toHaveProperty('checkpoint');
    expect(finetuneOptions(form, null, 'best')).not.toHaveProperty('checkpoint');
  });

  it('names each faulty field of the form', () => {
    const form = presetForm('cpu');
    const problems = formProblems({ ...form, size: 4, subset: ' ', maxSteps: 0, pretrain: { ...form.pretrain, lr: 0 }, finetune: { ...form.finetune, batchSize: 1.5 } });
    expect(problems.join('\n')).toMatch(/Size/);
    expect(problems.join('\n')).toMatch(/Subset/);
    expect(problems.join('\n')).toMatch(/Max steps/);
    expect(problems.join('\n')).toMatch(/pretrain learning rate/);
    expect(problems.join('\n')).toMatch(/finetune batch size/);
    expect(problems).toHaveLength(5);
  });

  it("checks each field as the job spec's schema does; what only a whole spec shows is the service's to refuse", () => {
    const form = presetForm('cpu');
    expect(formProblems({ ...form, queueSize: 0 })).toEqual(['Queue size: must be >= 1, got 0']);
    // A depth the select cannot offer, as a hand-edited state could hold.
    expect(formProblems({ ...form, depth: JSON.parse('20') })[0]).toMatch(/^Architecture: /);
    const subset = { ...form, subset: 'random:x' };
    expect(formProblems(subset)).toEqual([]);
    expect(jobSpecProblems({ kind: 'pretrain', catalog, options: pretrainOptions(subset) })).toEqual([expect.stringMatching(/^spec\.options\.subset: expected all/)]);
  });

  it('presetForm returns a fresh copy each time', () => {
    const a = presetForm('research');
    a.pretrain.epochs = 1;
    expect(presetForm('research').pretrain.epochs).toBe(20);
  });
});
