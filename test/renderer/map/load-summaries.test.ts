/** loadSummaries over a FAKE ApiClient that pages a list of made-up summaries like catalog.query does. */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_LIMIT } from '../../../core/common/catalog/query-spec.js';
import type { PatchSummary } from '../../../core/common/catalog/patch-types.js';
import type { ApiClient } from '../../../core/common/api/contract.js';
import { loadSummaries } from '../../../renderer/src/lib/map/load-summaries.js';

function fakeClient(total: number) {
  const calls: { offset: number; limit: number; params: unknown }[] = [];
  const all: PatchSummary[] = Array.from({ length: total }, (_, i) => ({
    id: `ROIs1158_spring_1_p${i}`,
    centroid: [0, 0],
    label: 1,
    labels: [1],
    split: 'train',
    season: 'spring',
  }));
  const client = {
    call: async (method: string, params: { query: { page: { offset: number; limit: number } } }) => {
      expect(method).toBe('catalog.query');
      const { offset, limit } = params.query.page;
      calls.push({ offset, limit, params });
      return { total, patches: all.slice(offset, offset + limit) };
    },
    onEvent: () => () => {},
  } as unknown as ApiClient;
  return { client, calls, all };
}

describe('loadSummaries', () => {
  it('fetches every patch in pages of MAX_PAGE_LIMIT, reporting progress after each', async () => {
    const total = 2 * MAX_PAGE_LIMIT + 123;
    const { client, calls, all } = fakeClient(total);
    const got: string[] = [];
    const progress: [number, number][] = [];
    const done = await loadSummaries(client, { dataset: 'd', query: { season: ['spring'] }, annotation: 'annotated' }, (page, loaded, t) => {
      got.push(...page.map((p) => p.id));
      progress.push([loaded, t]);
    });
    expect(done).toBe(true);
    expect(got).toEqual(all.map((p) => p.id));
    expect(calls.map((c) => c.offset)).toEqual([0, MAX_PAGE_LIMIT, 2 * MAX_PAGE_LIMIT]);
    expect(calls.every((c) => c.limit === MAX_PAGE_LIMIT)).toBe(true);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(calls[0].params).toMatchObject({ dataset: 'd', annotation: 'annotated', query: { season: ['spring'], fields: 'summary' } });
  });

  it('makes one call for an empty result', async () => {
    const { client, calls } = fakeClient(0);
    expect(await loadSummaries(client, { dataset: 'd', query: {} }, () => {})).toBe(true);
    expect(calls.length).toBe(1);
  });

  it('stops, without handing over the page, once a newer request made it stale', async () => {
    const { client, calls } = fakeClient(3 * MAX_PAGE_LIMIT);
    let pages = 0;
    const done = await loadSummaries(client, { dataset: 'd', query: {} }, () => pages++, () => calls.length >= 2);
    expect(done).toBe(false);
    expect(pages).toBe(1);
    expect(calls.length).toBe(2);
  });
});
