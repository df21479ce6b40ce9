import type { PairBatch, View } from '../../sampler/pairs.js';
import type { ViewInput } from '../../common/training/pair-strategies.js';

/** A view's rows on the host, NHWC: what a replica worker receives. */
export interface HostView {
  input: ViewInput;
  shape: [number, number, number, number];
  values: Float32Array;
}

/** One worker's share of a PairBatch: its rows of every view, views in the batch's order. */
export interface HostPairs {
  q: HostView[];
  k: HostView[];
}

export interface RowRange {
  start: number;
  count: number;
}

/** `n` rows in `parts` contiguous ranges, the first `n % parts` one row longer. */
export function rowRanges(n: number, parts: number): RowRange[] {
  const base = Math.floor(n / parts);
  const longer = n % parts;
  const ranges: RowRange[] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const count = base + (i < longer ? 1 : 0);
    ranges.push({ start, count });
    start += count;
  }
  return ranges;
}

/** Rows of each view (query and key views align row by row); throws when they do not align. */
export function viewRows(pairs: PairBatch): number[] {
  if (pairs.q.length === 0 || pairs.q.length !== pairs.k.length) {
    throw new Error(`pair batch: ${pairs.q.length} query views and ${pairs.k.length} key views (need the same number, at least one)`);
  }
  return pairs.q.map((q, i) => {
    const k = pairs.k[i];
    if (q.x.rank !== 4 || k.x.rank !== 4) throw new Error(`pair batch: view ${i} is not an NHWC batch`);
    if (q.x.shape[0] !== k.x.shape[0]) {
      throw new Error(`pair batch: query view ${i} has ${q.x.shape[0]} rows but key view ${i} has ${k.x.shape[0]}`);
    }
    return q.x.shape[0];
  });
}

/**
 * Splits every view by rows into `workers` contiguous shares. Each share is a fresh buffer, so it
 * can be transferred to its worker.
 */
export async function hostShares(pairs: PairBatch, workers: number): Promise<HostPairs[]> {
  const rows = viewRows(pairs);
  const total = rows.reduce((a, b) => a + b, 0);
  if (total < workers) throw new Error(`a batch of ${total} rows cannot be split over ${workers} workers`);
  const split = async (views: View[]): Promise<HostView[][]> => {
    const perWorker: HostView[][] = Array.from({ length: workers }, () => []);
    for (const [v, view] of views.entries()) {
      const data = (await view.x.data()) as Float32Array;
      const [, h, w, c] = view.x.shape;
      const rowSize = h * w * c;
      for (const [i, r] of rowRanges(rows[v], workers).entries()) {
        if (r.count === 0) continue;
        const values = data.slice(r.start * rowSize, (r.start + r.count) * rowSize);
        perWorker[i].push({ input: view.input, shape: [r.count, h, w, c], values });
      }
    }
    return perWorker;
  };
  const q = await split(pairs.q);
  const k = await split(pairs.k);
  return q.map((qViews, i) => ({ q: qViews, k: k[i] }));
}

/** Rows a share holds (its query views'; the key views have as many). */
export function shareRows(share: HostPairs): number {
  return share.q.reduce((n, v) => n + v.shape[0], 0);
}

/**
 * The keys of all shares in the batch's row order: view by view, each view's rows worker by
 * worker. `perWorker[i]` holds worker i's keys, its views one after the other.
 */
export function gatherKeys(perWorker: Float32Array[], rows: number[], dim: number): Float32Array {
  const workers = perWorker.length;
  const out = new Float32Array(rows.reduce((a, b) => a + b, 0) * dim);
  const read = new Array<number>(workers).fill(0);
  let at = 0;
  for (const n of rows) {
    for (const [i, r] of rowRanges(n, workers).entries()) {
      const len = r.count * dim;
      out.set(perWorker[i].subarray(read[i], read[i] + len), at);
      read[i] += len;
      at += len;
    }
  }
  return out;
}
