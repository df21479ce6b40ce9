import { describe, expect, it } from 'vitest';
import { validateJobSpec, type JobSpec } from '../../../core/common/jobs/job-spec.js';

const errorOf = (value: unknown) => {
  try {
    validateJobSpec(value);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the spec was accepted');
};

describe('validateJobSpec', () => {
  it('accepts one spec of each kind as given', () => {
    const specs: JobSpec[] = [
      { kind: 'pretrain', catalog: '/c.sqlite', options: { strategy: 'all-fusion', depth: 10, subset: 'random-seasons:8', backend: 'wasm' } },
      { kind: 'finetune', catalog: '/c.sqlite', options: { variant: 'moco-1x1', pretrained: 'job-20260101-120000-abcd', classes: 17 } },
      { kind: 'evaluate', catalog: '/c.sqlite', options: { model: '/runs/x', checkpoint: 'step-12', by: { regions: 'r.geojson' }, split: 'val' } },
      { kind: 'export', catalog: '/c.sqlite', options: { run: '/runs/x', formats: ['tfjs', 'safetensors'], dest: '/out', sensor: 's1' } },
    ];
    for (const spec of specs) expect(validateJobSpec(spec)).toBe(spec);
  });

  it('names every faulty field of a spec in one error', () => {
    const message = errorOf({
      kind: 'pretrain',
      catalog: '',
      options: { strategy: 'pairs', depth: 20, batchSize: 1, lr: 0, subset: 'random:x', backend: 'cpu', extra: true },
    });
    for (const field of ['catalog', 'strategy', 'depth', 'batchSize', 'lr', 'subset', 'backend', 'extra']) {
      expect(message).toMatch(new RegExp(`spec(\\.options)?\\.${field}: `));
    }
    expect(message).toContain('"cpu"');
  });

  it('checks each kind against its own options', () => {
    expect(errorOf({ kind: 'evaluate', catalog: '/c', options: { checkpoint: 'step-x', split: 'dev', by: 'place' } })).toMatch(
      /spec\.options\.model: is missing.*spec\.options\.checkpoint: .*spec\.options\.split: must be one of.*spec\.options\.by: /,
    );
    expect(errorOf({ kind: 'export', catalog: '/c', options: { run: '/r', dest: '/d', formats: [] } })).toMatch(/spec\.options\.formats: needs at least 1/);
    expect(errorOf({ kind: 'export', catalog: '/c', options: { run: '/r', dest: '/d', formats: ['pt'] } })).toMatch(/spec\.options\.formats\[0\]: must be one of/);
    expect(errorOf({ kind: 'finetune', catalog: '/c', options: { variant: 'moco' } })).toMatch(/spec\.options\.pretrained: variant "moco" starts from a MoCo pretrain/);
    expect(errorOf({ kind: 'finetune', catalog: '/c', options: { pretrained: '/runs/p' } })).toMatch(/spec\.options\.pretrained: variant "supervised" starts from random weights/);
  });

  it("refuses settings the trainer's config would refuse together, each named once under spec.options", () => {
    const fusion = errorOf({ kind: 'pretrain', catalog: '/c', options: { strategy: 'all-fusion', inputBlocks: true } });
    expect(fusion).toMatch(/^invalid job spec: spec\.options\.inputBlocks: all-fusion feeds the 12-channel/);
    expect(fusion.match(/inputBlocks/g)).toHaveLength(1);
    expect(errorOf({ kind: 'pretrain', catalog: '/c', options: { aug: 'aug-set-1' } })).toMatch(/spec\.options\.aug: sensor-pairs applies no augmentation/);
    expect(errorOf({ kind: 'finetune', catalog: '/c', options: { checkpoint: 'best' } })).toMatch(/spec\.options\.checkpoint: names a checkpoint of the pretrained weights/);
    expect(errorOf({ kind: 'pretrain', catalog: '/c', options: { subset: '' } }).match(/subset/g)).toHaveLength(1);
  });

  it('takes every setting the CLI takes, and how a start runs', () => {
    const spec: JobSpec = {
      kind: 'pretrain',
      catalog: '/c.sqlite',
      options: { strategy: 'sensor-pairs+augment', aug: 'aug-set-3', elastic: true, warmupEpochs: 1, temperature: 0.1, valFraction: 0.2, knn: { k: 5 }, workers: 2, maxSteps: 3 },
    };
    expect(validateJobSpec(spec)).toBe(spec);
    expect(validateJobSpec({ kind: 'pretrain', catalog: '/c', options: { knn: null } })).toBeTruthy();
    expect(errorOf({ kind: 'pretrain', catalog: '/c', options: { knn: { k: 0 } } })).toMatch(/spec\.options\.knn\.k: must be >= 1/);
  });

  it('refuses an unknown kind and a value that is no object', () => {
    expect(errorOf({ kind: 'train', catalog: '/c', options: {} })).toMatch(/spec\.kind: must be one of "pretrain", "finetune", "evaluate", "export", got "train"/);
    expect(errorOf('pretrain')).toMatch(/spec: must be an object/);
  });
});
