/**
 * Loads the batch of the next step while the current one trains: decoding runs in the pool's
 * worker threads, training on this thread, so the two overlap.
 */
export class BatchPrefetch<T> {
  private pending: Promise<T> | null;

  constructor(
    private readonly load: (step: number) => Promise<T>,
    first: number,
    private readonly stopAt: number,
  ) {
    this.pending = first < stopAt ? load(first) : null;
  }

  /** The batch of `step` (the one loading now), and starts loading step + 1. */
  async take(step: number): Promise<T> {
    const current = this.pending ?? this.load(step);
    this.pending = step + 1 < this.stopAt ? this.load(step + 1) : null;
    return current;
  }

  /** Waits for a load still in flight, so nothing reads files after the loop has stopped. */
  async settle(): Promise<void> {
    await this.pending?.catch(() => undefined);
    this.pending = null;
  }
}
