/**
 * What indexing needs from the three files of one patch, read in one go so that a decode worker
 * answers a triplet with one small message: the checked S2 header (for the footprint), whether
 * the S1 header is that of an S1 patch (each with one block decoded, to catch a wrong compression), and the IGBP fractions of LC band 1. A file that fails
 * leaves its error in its slot; the others are still read.
 */
import { serializeError, type SerializedError } from '../util/serialized-error.js';
import { igbpFractionsOfHistogram } from '../common/dataset/labels.js';
import { readCheckedPatchHeader, readLcHistogram } from './patch-reader.js';
import type { RasterHeader } from './tiff/types.js';

/** Absolute paths of a triplet's files; a missing partner has no key. */
export interface TripletPaths {
  s2: string;
  s1?: string;
  lc?: string;
}

/** Plain data either way, so it crosses a worker boundary; errors keep DatasetFileError's file and reason. */
export type FileResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export interface TripletSummary {
  s2: FileResult<RasterHeader>;
  /** The S1 header passed checkPatchHeader; nothing else of S1 is needed. */
  s1?: FileResult<null>;
  /** Fractions of IGBP classes 1..17 in LC band 1. */
  lc?: FileResult<number[]>;
}

async function settle<T>(read: () => Promise<T>): Promise<FileResult<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}

/** The header checked as a `sensor` patch, and one block decoded, so a wrong compression is a problem row now, not a failed read later. */
const checkedHeader = (sensor: 's1' | 's2', path: string): Promise<RasterHeader> => readCheckedPatchHeader(sensor, path);

export async function summarizeTriplet(paths: TripletPaths): Promise<TripletSummary> {
  const { s1, lc } = paths;
  const summary: TripletSummary = { s2: await settle(() => checkedHeader('s2', paths.s2)) };
  if (s1) {
    summary.s1 = await settle(async () => {
      await checkedHeader('s1', s1);
      return null;
    });
  }
  // One read of the LC file: its header, then band 1 counted straight from the decoded strips.
  if (lc) summary.lc = await settle(async () => igbpFractionsOfHistogram(await readLcHistogram(lc)));
  return summary;
}
