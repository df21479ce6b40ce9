/** Short human forms of the numbers a training run reports. */

/** "42 s", "3 min 05 s", "2 h 07 min"; "–" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Learning rates span decades: scientific notation below 0.01. */
export function formatRate(lr: number): string {
  return lr !== 0 && Math.abs(lr) < 0.01 ? lr.toExponential(2) : String(Number(lr.toPrecision(3)));
}
