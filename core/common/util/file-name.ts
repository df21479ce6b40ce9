/**
 * File names as shown and stored (problem rows, the UI): a name is bytes on Linux, not always
 * UTF-8 and free to hold control characters. `escapeFileName` keeps valid UTF-8 as it is and
 * writes each byte that is not part of valid UTF-8, and each control character (C0, DEL, C1),
 * as `\xNN` (one per byte, lower-case hex), and a backslash as `\\`; `unescapeFileName` maps the
 * text back to the exact bytes, so a reported path always leads to the real file.
 * Browser-safe: no Buffer, no node:.
 */

const hex = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`;

/** Length of the valid UTF-8 sequence starting at `i` (1..4), or 0 when the bytes there are not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  const cont = (k: number) => i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const b1 = bytes[i + 1];
    if (b === 0xe0 && b1 < 0xa0) return 0; // overlong
    if (b === 0xed && b1 >= 0xa0) return 0; // UTF-16 surrogates
    return 3;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const b1 = bytes[i + 1];
    if (b === 0xf0 && b1 < 0x90) return 0; // overlong
    if (b === 0xf4 && b1 >= 0x90) return 0; // beyond U+10FFFF
    return 4;
  }
  return 0;
}

function codePoint(bytes: Uint8Array, i: number, n: number): number {
  if (n === 1) return bytes[i];
  if (n === 2) return ((bytes[i] & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
  if (n === 3) return ((bytes[i] & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
  return ((bytes[i] & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
}

const isControl = (cp: number) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);

/** A file name's bytes as printable text that maps back to them (see unescapeFileName). */
export function escapeFileName(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += hex(bytes[i]);
      i += 1;
      continue;
    }
    const cp = codePoint(bytes, i, n);
    if (isControl(cp)) for (let k = 0; k < n; k++) out += hex(bytes[i + k]);
    else if (cp === 0x5c) out += '\\\\';
    else out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}

/** The bytes an escaped name stands for; throws a RangeError on an escape it did not write. */
export function unescapeFileName(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] !== '\\') {
      const cp = text.codePointAt(i)!;
      if (cp < 0x80) out.push(cp);
      else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
      else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
      else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (text[i + 1] === '\\') {
      out.push(0x5c);
      i += 2;
      continue;
    }
    const digits = text.slice(i + 2, i + 4);
    if (text[i + 1] !== 'x' || !/^[0-9a-f]{2}$/.test(digits)) throw new RangeError(`bad escape at ${i} in file name ${JSON.stringify(text)}`);
    out.push(parseInt(digits, 16));
    i += 4;
  }
  return Uint8Array.from(out);
}
