/**
 * A one-line progress bar on stderr when stderr is a terminal, silent otherwise, so the final
 * JSON line on stdout stays machine-readable either way.
 */
export interface Progress {
  update(done: number, total?: number, note?: string): void;
  done(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let total = 0;
  const start = Date.now();
  const draw = (done: number, note = '') => {
    const width = 30;
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * width);
    const bar = total > 0 ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}` : `${done}`;
    const secs = (Date.now() - start) / 1000;
    const eta = total > 0 && done > 0 ? ` eta ${Math.round((secs / done) * (total - done))}s` : '';
    stream.write(`\r${label} ${bar}${eta} ${note}`.slice(0, (stream.columns || 100) - 1).padEnd((stream.columns || 100) - 1));
  };
  return {
    update(done, t, note) {
      if (t !== undefined) total = t;
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      draw(done, note);
    },
    done() {
      stream.write('\n');
    },
  };
}
