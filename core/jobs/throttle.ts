/**
 * Passes on at most one value per interval, always the latest: a UI needs a few progress updates a
 * second, not one per training step, but it must see where the job ended.
 */
export class LatestThrottle<T> {
  private last = -Infinity;
  private pending: { value: T } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (value: T) => void,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  push(value: T): void {
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0 && this.timer === null) {
      this.send(value);
      return;
    }
    this.pending = { value };
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, wait));
  }

  /** Sends the value held back, if any, now. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const held = this.pending;
    this.pending = null;
    if (held) this.send(held.value);
  }

  private send(value: T): void {
    this.last = this.now();
    this.emit(value);
  }
}
