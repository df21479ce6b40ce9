/**
 * A new region's id. getRandomValues, not randomUUID: the server may be reached over plain http
 * on a LAN address, which is not a secure context, and randomUUID exists only in secure ones.
 */
export function newRegionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `region-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
