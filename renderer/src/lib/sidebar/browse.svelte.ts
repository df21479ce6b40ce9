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
  /** Every patch id within the map view, in catalog order (180,000 on the real data set: the list is virtualised). */
  inView: string[];
  inViewCount: number;
}

class Browse implements BrowseState {
  filters = $state<Filters>(structuredClone(NO_FILTERS));
  total = $state<number | null>(null);
  loaded = $state(0);
  counts = $state<ClassCount[]>([]);
  // raw: a deep proxy would wrap each of 180,000 ids the first time the list searches them
  inView = $state.raw<string[]>([]);
  inViewCount = $state(0);
}

export const browse: BrowseState = new Browse();
