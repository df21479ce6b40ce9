/**
 * Patches as model input: decodes S2 (the 10-band set) and S1 through the decode pool, normalises
 * once with the official statistics, resamples to the training size and keeps the result in a
 * byte-bounded LRU cache, so later epochs skip decoding for whatever fits.
 */
import { S1_BANDS, S2_10_INDICES } from '../common/dataset/bands.js';
import { DatasetFileError } from '../common/util/file-error.js';
import { normaliseS1, normaliseS2 } from '../dataset/normalise.js';
import { PATCH_SIZE } from '../dataset/patch-reader.js';
import { DecodePool } from '../dataset/tiff/pool.js';
import type { Raster } from '../dataset/tiff/types.js';
import { ByteLru } from './byte-lru.js';
import type { PatchItem } from './patch-items.js';
import { resampleInto } from './resample.js';

export interface TensorSourceOptions {
  /** Output side in pixels (e.g. 64 on CPU, 256 on GPU); 256 / size an integer gives block means, else bilinear. */
  size: number;
  /** What an S1 NaN reads as: dB before clipping, or 'mean'; default the clip floor (see normaliseS1). */
  s1Fill?: number | 'mean';
  /** Cache budget; default 512 MiB. */
  cacheBytes?: number;
}

export interface SensorArrays {
  n: number;
  size: number;
  /** NHWC, 10 channels (the s2-10 preset), normalised. */
  s2: Float32Array;
  /** NHWC, VV and VH, normalised; zeros (the mean) when a patch has no S1. */
  s1: Float32Array;
}

const S2_CHANNELS = S2_10_INDICES.length;
const S1_CHANNELS = S1_BANDS.length;
const DEFAULT_CACHE_BYTES = 512 * 2 ** 20;

/** One patch, normalised and resized, channels last. */
interface Prepared {
  s2: Float32Array;
  s1: Float32Array | null;
}

function checkOptions(opts: TensorSourceOptions): void {
  if (!Number.isInteger(opts.size) || opts.size < 1) throw new RangeError(`size must be a positive integer number of pixels, got ${opts.size}`);
  const fill = opts.s1Fill;
  if (fill !== undefined && fill !== 'mean' && !Number.isFinite(fill)) throw new RangeError(`s1Fill must be a finite number of dB or 'mean', got ${fill}`);
}

export class TensorSource {
  readonly size: number;
  private readonly s1Fill: number | 'mean' | undefined;
  private readonly pool: DecodePool;
  private readonly ownsPool: boolean;
  private readonly cache: ByteLru<Prepared>;
  /** Patches being prepared, so concurrent loads of one patch decode it once. */
  private readonly pending = new Map<string, Promise<Prepared>>();
  private closed = false;

  constructor(opts: TensorSourceOptions & { pool?: DecodePool }) {
    checkOptions(opts);
    this.size = opts.size;
    this.s1Fill = opts.s1Fill;
    this.cache = new ByteLru(opts.cacheBytes ?? DEFAULT_CACHE_BYTES);
    this.ownsPool = !opts.pool;
    this.pool = opts.pool ?? new DecodePool();
  }

  /** The patches in the given order; a file that cannot be read fails the load with a DatasetFileError naming it. */
  async load(items: PatchItem[]): Promise<SensorArrays> {
    // Otherwise the closed pool's refusal would be reported as a problem with each file.
    if (this.closed) throw new Error('TensorSource is closed');
    const { size } = this;
    const s2Len = size * size * S2_CHANNELS;
    const s1Len = size * size * S1_CHANNELS;
    const s2 = new Float32Array(items.length * s2Len);
    const s1 = new Float32Array(items.length * s1Len);
    await Promise.all(
      items.map(async (item, i) => {
        const p = await this.prepared(item);
        s2.set(p.s2, i * s2Len);
        if (p.s1) s1.set(p.s1, i * s1Len);
      }),
    );
    return { n: items.length, size, s2, s1 };
  }

  /** Stops the decode pool when this source started it; a pool passed in stays open. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.ownsPool) await this.pool.close();
  }

  private prepared(item: PatchItem): Promise<Prepared> {
    const hit = this.cache.get(item.id);
    if (hit) return Promise.resolve(hit);
    let job = this.pending.get(item.id);
    if (!job) {
      job = this.prepare(item)
        .then((p) => {
          this.cache.set(item.id, p, p.s2.byteLength + (p.s1?.byteLength ?? 0));
          return p;
        })
        .finally(() => this.pending.delete(item.id));
      this.pending.set(item.id, job);
    }
    return job;
  }

  private async prepare(item: PatchItem): Promise<Prepared> {
    const [s2Raster, s1Raster] = await Promise.all([
      this.read('s2', item.s2Path, [...S2_10_INDICES]),
      item.s1Path === null ? null : this.read('s1', item.s1Path),
    ]);
    const s2 = this.resized(normaliseS2(s2Raster.data, [...S2_10_INDICES]));
    const s1 = s1Raster && this.resized(normaliseS1(s1Raster.data as Float32Array[], { fillNaN: this.s1Fill }));
    return { s2, s1 };
  }

  private async read(sensor: 's1' | 's2', path: string, bands?: number[]): Promise<Raster> {
    try {
      // Checked as a SEN12MS patch in the worker, so a file of the wrong shape gets the patch
      // reader's message, not a decoder's, from the same single read.
      return await this.pool.readPatch(sensor, path, bands ? { bands } : undefined);
    } catch (err) {
      if (err instanceof DatasetFileError) throw err;
      throw new DatasetFileError(path, (err as Error).message);
    }
  }

  private resized(bands: Float32Array[]): Float32Array {
    const out = new Float32Array(this.size * this.size * bands.length);
    bands.forEach((band, c) => resampleInto(band, PATCH_SIZE, this.size, out, c, bands.length));
    return out;
  }
}
