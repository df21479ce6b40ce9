import { describe, expect, it } from 'vitest';
import type { CheckpointRef, RunCheckpoints } from '../../../../core/common/api/contract.js';
import { checkpointRef, choiceLabel, describeRef, jobCheckpointNote, keptSelector, offersDefault, startLabel, trainBest } from '../../../../renderer/src/lib/training/checkpoints.js';
import { jobInfo } from './job-fixtures.js';

const list: RunCheckpoints = {
  run: '/runs/p',
  kind: 'pretrain',
  default: 'last',
  bestRule: 'highest k-NN top-1',
  checkpoints: [],
  selectors: [
    { selector: 'last', file: 'step-000009.safetensors', step: 9, epoch: 3 },
    { selector: 'best', file: 'best.safetensors', step: 6, epoch: 2 },
    { selector: 'step-3', file: 'step-000003.safetensors', step: 3, epoch: 1 },
  ],
};
const ref = (kind: CheckpointRef['kind'], step: number, epoch: number): CheckpointRef => ({ run: '/runs/p', file: `step-${step}.safetensors`, step, epoch, kind });

describe('checkpoint choices', () => {
  it('labels each selector with its step, the best score and the default', () => {
    const best = { metric: 'knn_top1', value: 0.41666, step: 6 };
    expect(list.selectors.map((c) => choiceLabel(c, list, best))).toEqual(['last (step 9) — default', 'best (step 6, k-NN top-1 0.4167)', 'step-3 (epoch 1)']);
    // a score of another step is not shown against this best
    expect(choiceLabel(list.selectors[1], { default: 'best' }, { ...best, step: 9 })).toBe('best (step 6) — default');
  });

  it("keeps the chosen selector when the run offers it, else takes the run's default", () => {
    expect(keptSelector('step-3', list)).toBe('step-3');
    expect(keptSelector('step-4', list)).toBe('last');
    expect(keptSelector('', list)).toBe('last');
    expect(offersDefault(list)).toBe(true);
    // a finetune stopped before its first validation keeps no best: its first choice is shown instead
    const noBest: RunCheckpoints = { ...list, kind: 'finetune', default: 'best', selectors: list.selectors.filter((c) => c.selector !== 'best') };
    expect(keptSelector('', noBest)).toBe('last');
    expect(offersDefault(noBest)).toBe(false);
    expect(keptSelector('', { ...list, selectors: [] })).toBe('');
  });

  it("reads a training job's best score, and nothing from a result without one", () => {
    expect(trainBest(jobInfo('p', 'pretrain', {}, { result: { best: { metric: 'knn_top1', value: 0.5, step: 3 } } }))).toEqual({ metric: 'knn_top1', value: 0.5, step: 3 });
    expect(trainBest(jobInfo('p', 'pretrain', {}, { result: { status: 'completed' } }))).toBeNull();
    expect(trainBest(null)).toBeNull();
  });

  it('reads a recorded checkpoint only when it has every field', () => {
    expect(checkpointRef(ref('best', 6, 2))).toEqual(ref('best', 6, 2));
    expect(checkpointRef({ kind: 'best', step: 6 })).toBeNull();
    expect(checkpointRef(null)).toBeNull();
    expect(describeRef(ref('step', 3, 1))).toBe('step-3 checkpoint (epoch 1)');
    expect(describeRef(ref('best', 6, 2))).toBe('best checkpoint (step 6, epoch 2)');
  });
});

describe('the checkpoint line of a job row', () => {
  it('a finetune names the pretrain checkpoint it loaded, or the one it asked for until it has', () => {
    const asked = jobInfo('f', 'finetune', { pretrained: '/runs/p', checkpoint: 'step-3' }, { state: 'running' });
    expect(jobCheckpointNote(asked, null)).toBe('from pretrain: step-3 checkpoint (asked)');
    const done = { ...asked, state: 'completed' as const, result: { pretrainedCheckpoint: ref('step', 3, 1) } };
    expect(jobCheckpointNote(done, null)).toBe('from pretrain: step-3 checkpoint (epoch 1)');
    expect(jobCheckpointNote(jobInfo('s', 'finetune', { variant: 'supervised' }), null)).toBeNull();
    // run pickers tell finetunes of one pretrain apart by it
    expect(startLabel(asked)).toBe('from step-3');
    expect(startLabel({ ...done, result: { pretrainedCheckpoint: ref('best', 8, 2) } })).toBe('from best (step 8)');
    expect(startLabel(jobInfo('s', 'finetune', { variant: 'supervised' }))).toBeNull();
  });

  it("an evaluation and an export name the checkpoint they used; a pretrain its best score and its consumers' default", () => {
    expect(jobCheckpointNote(jobInfo('e', 'evaluate', { model: '/runs/f', checkpoint: 'best' }), null)).toBe('evaluated: best checkpoint');
    expect(jobCheckpointNote(jobInfo('e', 'evaluate', { model: '/runs/f' }, { state: 'queued' }), null)).toBe('evaluated: the default checkpoint (asked)');
    const exported = jobInfo('x', 'export', { run: '/runs/f', checkpoint: 'last' }, { result: { dir: '/x', files: [], card: { checkpoint: ref('last', 4, 2) } } });
    expect(jobCheckpointNote(exported, null)).toBe('exported: last checkpoint (step 4, epoch 2)');
    const pretrain = jobInfo('p', 'pretrain', {}, { result: { best: { metric: 'knn_top1', value: 0.5, step: 3 } } });
    expect(jobCheckpointNote(pretrain, 'last')).toBe('best k-NN top-1 0.5000 at step 3; finetune and export use the last checkpoint by default');
    expect(jobCheckpointNote(jobInfo('p', 'pretrain', {}, { result: {} }), null)).toBe('no best checkpoint (k-NN monitor off)');
    expect(jobCheckpointNote(jobInfo('p', 'pretrain', {}, { state: 'running' }), 'last')).toBeNull();
  });
});
