/** Edits of little-endian classic TIFFs that make headers lie: for tests of the reader and the indexer. */
import * as fs from 'node:fs';

/** Entries of the first IFD of a little-endian classic TIFF: tag -> byte offset of the entry. */
export function ifdEntries(bytes: Uint8Array): Map<number, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = view.getUint32(4, true);
  const entries = new Map<number, number>();
  for (let k = 0; k < view.getUint16(ifd, true); k++) entries.set(view.getUint16(ifd + 2 + 12 * k, true), ifd + 2 + 12 * k);
  return entries;
}

/** Marks an uncompressed file as DEFLATE without touching its (raw) pixel bytes. */
export function markDeflate(path: string): void {
  const bytes = fs.readFileSync(path);
  const at = ifdEntries(bytes).get(259)!;
  bytes.writeUInt16LE(8, at + 8);
  fs.writeFileSync(path, bytes);
}

/** Points the first strip at the image directory itself. */
export function stripIntoIfd(path: string): void {
  const bytes = fs.readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ifd = view.getUint32(4, true);
  const at = ifdEntries(bytes).get(273)!;
  const count = view.getUint32(at + 4, true);
  const type = view.getUint16(at + 2, true);
  const values = count * (type === 3 ? 2 : 4) <= 4 ? at + 8 : view.getUint32(at + 8, true);
  if (type === 3) view.setUint16(values, ifd, true);
  else view.setUint32(values, ifd, true);
  fs.writeFileSync(path, bytes);
}
