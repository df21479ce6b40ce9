/** What the catalog returns per patch, as the map, detail view and API see it. */
import type { Season, Sensor } from '../dataset/names.js';

/** What the map needs per patch. */
export interface PatchSummary {
  id: string;
  /** [lon, lat]. */
  centroid: [number, number];
  /** Simplified single label (1..10) and multi-label, ascending. */
  label: number;
  labels: number[];
  split: 'train' | 'test';
  season: Season;
}

/** A summary plus the outline the map draws at high zoom. */
export interface PatchFootprint extends PatchSummary {
  /** Closed counter-clockwise ring of [lon, lat]; may run past +-180 at the antimeridian. */
  footprint: [number, number][];
}

/** A summary plus what a detail view shows. */
export interface PatchDetail extends PatchFootprint {
  roi: string;
  scene: number;
  patch: number;
  sensors: Sensor[];
  epsg: number | null;
  /** Fractions of IGBP classes 1..17. */
  igbpFractions: number[];
  /** Relative to the data set's root; s1 is null for a patch catalogued without S1. */
  paths: { s2: string; s1: string | null; lc: string };
}

export interface QueryPage<T extends PatchSummary> {
  /** Patches matching the filters, whatever the page. */
  total: number;
  patches: T[];
}

export interface ClassCount {
  label: number;
  name: string;
  count: number;
}

/** A file of the data set that could not be (fully) catalogued, and why. */
export interface CatalogProblem {
  /**
   * Relative to the data set root, forward slashes; names as escapeFileName writes them
   * (undecodable bytes and control characters as `\xNN`, `\\` for a backslash), so the text
   * maps back to the real path with unescapeFileName.
   */
  file: string;
  reason: string;
}

/** One page of a catalog's problem rows, in file order, and how many there are. */
export interface ProblemPage {
  total: number;
  problems: CatalogProblem[];
}
