/** One CSV cell per RFC 4180: quoted when it holds a quote, comma or line break; null is empty. */
export function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
