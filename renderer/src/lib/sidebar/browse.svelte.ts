/** What the sidebar and the map share about browsing: the filters and what they currently match. */
import type { ClassCount } from '#common/catalog/patch-types.js';
import { NO_FILTERS, type Filters } from './filters.js';

export interface BrowseState {
  filters: Filters;
  /** Patches matching the filters (catalog.query total); null before the first answer. */
  total: number | null;
  /** Of those, how many the map holds so far (points load in pages). */
  loaded: number;
  counts: ClassCount[];
  /** The first IN_VIEW_LIST_LIMIT patch ids within the map view, in catalog order. */
  inView: string[];
  inViewCount: number;
}

/** A longer list helps nobody scrolling it, and would cost a DOM row per patch. */
export const IN_VIEW_LIST_LIMIT = 300;

export const browse: BrowseState = $state({ filters: structuredClone(NO_FILTERS), total: null, loaded: 0, counts: [], inView: [], inViewCount: 0 });
