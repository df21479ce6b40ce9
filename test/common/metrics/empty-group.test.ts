import { describe, expect, it } from 'vitest';
import { emptyGroupReason } from '../../../core/common/metrics/empty-group.js';
import { HEADLINE_METRICS, METRIC_DEFINITIONS, metricTerm } from '../../../core/common/metrics/report-types.js';

describe('emptyGroupReason', () => {
  it('points a test-split evaluation at the train patches the region holds', () => {
    expect(emptyGroupReason('test', { train: 12, test: 0 })).toBe(
      "no test-split patches inside this region; 12 train-split patches lie inside: evaluate on split 'train' or 'all'",
    );
  });

  it('says validation takes whole scenes, and offers test where the region holds test patches', () => {
    const reason = emptyGroupReason('val', { train: 1, test: 3 });
    expect(reason).toMatch(/^no validation patches inside this region; 1 train-split patch lies inside \(validation takes whole train scenes/);
    expect(reason).toMatch(/3 test-split patches lie inside: evaluate on split 'test' or 'all'$/);
    expect(emptyGroupReason('train', { train: 0, test: 2 })).toMatch(/^no train-split patches.*2 test-split patches lie inside: evaluate on split 'test' or 'all'$/);
  });

  it('says when the region holds no patch at all, or could not be counted', () => {
    expect(emptyGroupReason('all', { train: 0, test: 0 })).toMatch(/^no patch of this data set has its centre inside this region/);
    expect(emptyGroupReason('test', null)).toBe('no test-split patches inside this region (a patch counts when its centre is inside)');
  });
});

describe('metricTerm', () => {
  it('names and defines each headline metric, the definition naming what scikit-learn calls it', () => {
    expect(metricTerm(HEADLINE_METRICS.multi)).toEqual({ title: 'sample-averaged Jaccard', definition: METRIC_DEFINITIONS.jaccard_samples });
    expect(metricTerm(HEADLINE_METRICS.multi).definition).toMatch(/\|predicted ∩ true\| \/ \|predicted ∪ true\|.*jaccard_score, average='samples'/);
    expect(metricTerm(HEADLINE_METRICS.single).definition).toMatch(/balanced_accuracy_score/);
  });
});
