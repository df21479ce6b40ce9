import type { CatalogQuery } from '#common/catalog/query-spec.js';
import type { Season } from '#common/dataset/names.js';
import type { AnnotationFilter } from '#common/api/contract.js';

/** The sidebar's filters; an empty list means "any" (unlike CatalogQuery, where it means none). */
export interface Filters {
  season: Season[];
  split: ('train' | 'test')[];
  label: number[];
  annotation: AnnotationFilter | null;
}

export const NO_FILTERS: Filters = { season: [], split: [], label: [], annotation: null };

/** The catalog.query / catalog.classCounts params for the filters (without bbox or page). */
export function filterParams(filters: Filters): { query: CatalogQuery; annotation?: AnnotationFilter } {
  const query: CatalogQuery = {};
  if (filters.season.length > 0) query.season = [...filters.season];
  if (filters.split.length > 0) query.split = [...filters.split];
  if (filters.label.length > 0) query.label = [...filters.label];
  return filters.annotation === null ? { query } : { query, annotation: filters.annotation };
}
