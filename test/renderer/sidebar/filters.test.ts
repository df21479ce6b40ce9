import { describe, expect, it } from 'vitest';
import { validateCatalogQuery } from '../../../core/common/catalog/query-spec.js';
import { filterParams, NO_FILTERS, type Filters } from '../../../renderer/src/lib/sidebar/filters.js';

describe('filterParams', () => {
  it('leaves out empty filters: an empty list means "any" in the sidebar, but "none" in a catalog query', () => {
    expect(filterParams(NO_FILTERS)).toEqual({ query: {} });
  });

  it('passes the chosen seasons, splits, labels and annotation state, as a valid catalog query', () => {
    const params = filterParams({ season: ['fall', 'winter'], split: ['test'], label: [1, 10], annotation: 'noisy' });
    expect(params).toEqual({ query: { season: ['fall', 'winter'], split: ['test'], label: [1, 10] }, annotation: 'noisy' });
    expect(validateCatalogQuery(params.query)).toEqual(params.query);
  });

  it('copies the lists, so editing the filters later does not change a query already sent', () => {
    const filters: Filters = { ...NO_FILTERS, season: ['spring'] };
    const { query } = filterParams(filters);
    filters.season.push('summer');
    expect(query.season).toEqual(['spring']);
  });
});
