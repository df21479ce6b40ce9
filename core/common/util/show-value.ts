/** A value for an error message; JSON.stringify alone prints NaN as null and undefined as nothing. */
export function showValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}
