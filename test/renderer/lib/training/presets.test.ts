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
  phaseProblems,
  presetForm,
  problemList,
  sharedFieldProblems,
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
    expect(phaseProblems(form, 'pretrain')).toEqual({});
    expect(phaseProblems(form, 'finetune')).toEqual({});
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

  it('the demo is small and of a fixed size: ResNet-10 at 32 px, 32 patches, every epoch run', () => {
    const form = presetForm('tiny-demo');
    const pretrain = pretrainOptions(form);
    expect(pretrain).toMatchObject({ depth: 10, size: 32, batchSize: 8, subset: 'random:32', queueSize: 16 });
    // 4 steps an epoch whatever the data set holds: enough steps for the loss to fall after the queue fills
    expect(pretrain.epochs! * Math.floor(32 / pretrain.batchSize!)).toBeGreaterThanOrEqual(40);
    expect(pretrain).not.toHaveProperty('maxSteps');
    expect(finetuneOptions(form, null)).toMatchObject({ depth: 10, size: 32, batchSize: 8, subset: 'random:32' });
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

  it('"all" subset and an unset step limit are left to the service defaults; a choice becomes the subset text', () => {
    const form = presetForm('cpu');
    const options = pretrainOptions({ ...form, maxSteps: null });
    expect(options).not.toHaveProperty('subset');
    expect(options).not.toHaveProperty('maxSteps');
    expect(pretrainOptions({ ...form, subset: { kind: 'random-seasons', n: 64, file: 'x' } }).subset).toBe('random-seasons:64');
    expect(finetuneOptions({ ...form, subset: { kind: 'list', n: 1, file: ' lists/train_list_1024.txt ' } }, null).subset).toBe('list:lists/train_list_1024.txt');
    expect(pretrainOptions({ ...form, subset: { kind: 'one-per-scene', n: 5, file: '' } }).subset).toBe('one-per-scene');
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

  it('names each faulty field next to it, in the phase it belongs to', () => {
    const form = presetForm('cpu');
    const bad = { ...form, size: 4, maxSteps: 0, subset: { kind: 'random' as const, n: 0, file: '' }, pretrain: { ...form.pretrain, lr: 0 }, finetune: { ...form.finetune, batchSize: 1.5 } };
    const pretrain = phaseProblems(bad, 'pretrain');
    const finetune = phaseProblems(bad, 'finetune');
    expect(Object.keys(pretrain).sort()).toEqual(['lr', 'maxSteps', 'size', 'subset']);
    expect(Object.keys(finetune).sort()).toEqual(['batchSize', 'maxSteps', 'size', 'subset']);
    expect(pretrain.lr).toEqual(['must be > 0, got 0']);
    expect(pretrain.subset).toEqual([expect.stringMatching(/^the number of patches must be a whole number of at least 1, got 0$/)]);
    expect(sharedFieldProblems({ pretrain, finetune }, 'size')).toEqual([expect.stringMatching(/>= 8/)]);
  });

  it('a faulty pretrain field leaves the finetune free to start, and the other way round', () => {
    const form = presetForm('tiny-demo');
    expect(problemList(phaseProblems({ ...form, pretrain: { ...form.pretrain, epochs: 0 } }, 'finetune'))).toEqual([]);
    expect(problemList(phaseProblems({ ...form, pretrain: { ...form.pretrain, epochs: 0 } }, 'pretrain'))).toEqual(['must be >= 1, got 0']);
    expect(problemList(phaseProblems({ ...form, finetune: { ...form.finetune, lr: -1 } }, 'pretrain'))).toEqual([]);
    // the queue is the pretrain's alone
    expect(phaseProblems({ ...form, queueSize: 0 }, 'pretrain')).toEqual({ queueSize: ['must be >= 1, got 0'] });
    expect(phaseProblems({ ...form, queueSize: 0 }, 'finetune')).toEqual({});
  });

  it("reports what only the whole spec shows (the config's own checks) under the field it names", () => {
    const form = presetForm('cpu');
    // A depth the select cannot offer, as a hand-edited state could hold.
    expect(phaseProblems({ ...form, depth: JSON.parse('20') }, 'pretrain').depth?.[0]).toMatch(/20/);
    const list = phaseProblems({ ...form, subset: { kind: 'list', n: 1, file: '  ' } }, 'finetune');
    expect(list).toEqual({ subset: [expect.stringMatching(/name the patch list file/)] });
    expect(jobSpecProblems({ kind: 'pretrain', catalog, options: pretrainOptions(form) })).toEqual([]);
  });

  it('presetForm returns a fresh copy each time', () => {
    const a = presetForm('research');
    a.pretrain.epochs = 1;
    expect(presetForm('research').pretrain.epochs).toBe(20);
  });
});
